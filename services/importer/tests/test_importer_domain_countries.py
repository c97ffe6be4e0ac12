"""A list's country column is read as the region phonenumbers knows, in the forms people type."""

import phonenumbers
import pytest
from importer_service.domain.countries import region_from_country, region_name
from importer_service.domain.country_tables import ALPHA3_TO_ALPHA2

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("cell", "region"),
    [
        ("fr", "FR"),
        ("FR", "FR"),
        (" gb ", "GB"),
        ("FRA", "FR"),
        ("deu", "DE"),
        ("USA", "US"),
        ("+33", "FR"),
        ("33", "FR"),
        ("0033", "FR"),
        ("(+44)", "GB"),
        ("+1", "US"),
        ("+49", "DE"),
    ],
)
def test_codes_and_calling_codes(cell: str, region: str) -> None:
    assert region_from_country(cell) == region


@pytest.mark.parametrize(
    ("cell", "region"),
    [
        ("France", "FR"),
        ("FRANCE", "FR"),
        ("Allemagne", "DE"),
        ("Deutschland", "DE"),
        ("Germany", "DE"),
        ("Alemania", "DE"),
        ("España", "ES"),
        ("espana", "ES"),
        ("Spain", "ES"),
        ("Espagne", "ES"),
        ("Spanien", "ES"),
        ("United Kingdom", "GB"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("Great Britain", "GB"),
        ("Royaume-Uni", "GB"),
        ("Vereinigtes Königreich", "GB"),
        ("Reino Unido", "GB"),
        ("United States", "US"),
        ("États-Unis", "US"),
        ("etats unis", "US"),
        ("Estados Unidos", "US"),
        ("Vereinigte Staaten", "US"),
        ("Österreich", "AT"),
        ("Oesterreich", "AT"),
        ("Suisse", "CH"),
        ("Schweiz", "CH"),
        ("Belgique", "BE"),
        ("Pays-Bas", "NL"),
        ("Holland", "NL"),
        ("Italie", "IT"),
        ("Maroc", "MA"),
        ("Marruecos", "MA"),
        ("Algérie", "DZ"),
        ("Côte d'Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("Sénégal", "SN"),
        ("México", "MX"),
        ("Brésil", "BR"),
        ("Japon", "JP"),
        ("Chine", "CN"),
        ("Inde", "IN"),
        ("Russie", "RU"),
        ("Türkiye", "TR"),
        ("South Korea", "KR"),
        ("The Gambia", "GM"),
        ("Kosovo", "XK"),
        ("Irlande", "IE"),
        ("Pologne", "PL"),
        ("Portugal", "PT"),
    ],
)
def test_common_names_in_english_french_german_and_spanish(cell: str, region: str) -> None:
    assert region_from_country(cell) == region


@pytest.mark.parametrize("cell", ["", "  ", "Narnia", "ZZ", "XYZ", "+999", "+800", "033", "0"])
def test_unknown_countries_are_none(cell: str) -> None:
    assert region_from_country(cell) is None


def test_every_region_of_phonenumbers_has_one_alpha3_code() -> None:
    assert set(ALPHA3_TO_ALPHA2.values()) == set(phonenumbers.SUPPORTED_REGIONS)
    assert len(ALPHA3_TO_ALPHA2) == len(phonenumbers.SUPPORTED_REGIONS)


def test_every_region_is_found_by_its_english_name() -> None:
    for region in phonenumbers.SUPPORTED_REGIONS:
        assert region_from_country(region_name(region)) == region


def test_region_names_come_from_phonenumbers_with_an_article_where_english_needs_one() -> None:
    assert region_name("FR") == "France"
    assert region_name("GB", article=True) == "the United Kingdom"
    assert region_name("FR", article=True) == "France"
    assert region_name("XK") == "Kosovo"
