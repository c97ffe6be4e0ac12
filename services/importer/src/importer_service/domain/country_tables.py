"""Country data phonenumbers does not carry: ISO 3166-1 alpha-3 codes and everyday names.

Region codes, calling codes and the official names in many languages come from phonenumbers
itself (see `countries`); this module only adds what it lacks. The English names of the few
regions phonenumbers has none for are in `contacts_destinations.places`.
"""

from __future__ import annotations

# ISO 3166-1 alpha-2 = alpha-3 for every region phonenumbers supports. AC (Ascension), TA
# (Tristan da Cunha) and XK (Kosovo) are not ISO countries; their codes are the ones in use.
_ALPHA3_PAIRS = """
AC=ASC AD=AND AE=ARE AF=AFG AG=ATG AI=AIA AL=ALB AM=ARM AO=AGO AR=ARG AS=ASM AT=AUT AU=AUS
AW=ABW AX=ALA AZ=AZE BA=BIH BB=BRB BD=BGD BE=BEL BF=BFA BG=BGR BH=BHR BI=BDI BJ=BEN BL=BLM
BM=BMU BN=BRN BO=BOL BQ=BES BR=BRA BS=BHS BT=BTN BW=BWA BY=BLR BZ=BLZ CA=CAN CC=CCK CD=COD
CF=CAF CG=COG CH=CHE CI=CIV CK=COK CL=CHL CM=CMR CN=CHN CO=COL CR=CRI CU=CUB CV=CPV CW=CUW
CX=CXR CY=CYP CZ=CZE DE=DEU DJ=DJI DK=DNK DM=DMA DO=DOM DZ=DZA EC=ECU EE=EST EG=EGY EH=ESH
ER=ERI ES=ESP ET=ETH FI=FIN FJ=FJI FK=FLK FM=FSM FO=FRO FR=FRA GA=GAB GB=GBR GD=GRD GE=GEO
GF=GUF GG=GGY GH=GHA GI=GIB GL=GRL GM=GMB GN=GIN GP=GLP GQ=GNQ GR=GRC GT=GTM GU=GUM GW=GNB
GY=GUY HK=HKG HN=HND HR=HRV HT=HTI HU=HUN ID=IDN IE=IRL IL=ISR IM=IMN IN=IND IO=IOT IQ=IRQ
IR=IRN IS=ISL IT=ITA JE=JEY JM=JAM JO=JOR JP=JPN KE=KEN KG=KGZ KH=KHM KI=KIR KM=COM KN=KNA
KP=PRK KR=KOR KW=KWT KY=CYM KZ=KAZ LA=LAO LB=LBN LC=LCA LI=LIE LK=LKA LR=LBR LS=LSO LT=LTU
LU=LUX LV=LVA LY=LBY MA=MAR MC=MCO MD=MDA ME=MNE MF=MAF MG=MDG MH=MHL MK=MKD ML=MLI MM=MMR
MN=MNG MO=MAC MP=MNP MQ=MTQ MR=MRT MS=MSR MT=MLT MU=MUS MV=MDV MW=MWI MX=MEX MY=MYS MZ=MOZ
NA=NAM NC=NCL NE=NER NF=NFK NG=NGA NI=NIC NL=NLD NO=NOR NP=NPL NR=NRU NU=NIU NZ=NZL OM=OMN
PA=PAN PE=PER PF=PYF PG=PNG PH=PHL PK=PAK PL=POL PM=SPM PR=PRI PS=PSE PT=PRT PW=PLW PY=PRY
QA=QAT RE=REU RO=ROU RS=SRB RU=RUS RW=RWA SA=SAU SB=SLB SC=SYC SD=SDN SE=SWE SG=SGP SH=SHN
SI=SVN SJ=SJM SK=SVK SL=SLE SM=SMR SN=SEN SO=SOM SR=SUR SS=SSD ST=STP SV=SLV SX=SXM SY=SYR
SZ=SWZ TA=TAA TC=TCA TD=TCD TG=TGO TH=THA TJ=TJK TK=TKL TL=TLS TM=TKM TN=TUN TO=TON TR=TUR
TT=TTO TV=TUV TW=TWN TZ=TZA UA=UKR UG=UGA US=USA UY=URY UZ=UZB VA=VAT VC=VCT VE=VEN VG=VGB
VI=VIR VN=VNM VU=VUT WF=WLF WS=WSM XK=XKX YE=YEM YT=MYT ZA=ZAF ZM=ZMB ZW=ZWE
"""

ALPHA3_TO_ALPHA2: dict[str, str] = {
    alpha3: alpha2 for alpha2, alpha3 in (pair.split("=") for pair in _ALPHA3_PAIRS.split())
}

# Everyday names, abbreviations and older names people type in a country column, besides the
# official names in several languages that phonenumbers already provides.
ALIASES: dict[str, tuple[str, ...]] = {
    "AE": ("uae", "emirates", "eau", "emiratos"),
    "BA": ("bosnia",),
    "CD": ("drc", "dr congo", "rdc", "rd congo", "congo kinshasa"),
    "CG": ("congo brazzaville", "republic of the congo"),
    "CI": ("ivory coast", "cote d ivoire"),
    "CV": ("cabo verde",),
    "CZ": ("czechia", "tschechien", "tchequie", "republica checa"),
    "DE": ("brd", "bundesrepublik deutschland"),
    "GB": (
        "uk",
        "u k",
        "great britain",
        "britain",
        "england",
        "scotland",
        "wales",
        "northern ireland",
        "grande bretagne",
        "angleterre",
        "grossbritannien",
        "gran bretana",
        "inglaterra",
        "united kingdom of great britain and northern ireland",
    ),
    "KR": ("korea", "republic of korea", "coree", "korea republic of"),
    "MK": ("north macedonia", "macedoine du nord", "nordmazedonien", "macedonia del norte"),
    "MM": ("burma", "birmanie"),
    "NL": ("holland", "paises bajos", "hollande"),
    "PS": ("state of palestine", "palestinian territories"),
    "RU": ("russian federation", "federation de russie", "russische foderation"),
    "SA": ("ksa",),
    "SZ": ("eswatini",),
    "TR": ("turkiye",),
    "US": (
        "u s",
        "u s a",
        "america",
        "united states of america",
        "etats unis d amerique",
        "vereinigte staaten",
        "amerika",
        "eeuu",
        "ee uu",
        "estados unidos de america",
    ),
    "VA": ("holy see", "vatican", "vatican city", "vatican city state"),
    "VN": ("viet nam",),
}
