"""Column mapping guessed from real-world header rows, in seven languages and from the common
contact exports, and the check of a mapping the person corrected."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from importer_service.adapters.sources.header_words import normalise
from importer_service.adapters.sources.mapping import (
    ColumnMapping,
    MappingError,
    guess_mapping,
    validate_mapping,
)

pytestmark = pytest.mark.unit

GOOGLE = [
    "Name",
    "Given Name",
    "Additional Name",
    "Family Name",
    "Yomi Name",
    "Given Name Yomi",
    "Additional Name Yomi",
    "Family Name Yomi",
    "Name Prefix",
    "Name Suffix",
    "Initials",
    "Nickname",
    "Short Name",
    "Maiden Name",
    "Birthday",
    "Gender",
    "Location",
    "Notes",
    "Language",
    "Photo",
    "Group Membership",
    "E-mail 1 - Type",
    "E-mail 1 - Value",
    "E-mail 2 - Type",
    "E-mail 2 - Value",
    "Phone 1 - Type",
    "Phone 1 - Value",
    "Phone 2 - Type",
    "Phone 2 - Value",
    "Address 1 - Type",
    "Address 1 - Formatted",
    "Address 1 - Country",
    "Organization 1 - Type",
    "Organization 1 - Name",
    "Organization 1 - Title",
]
GOOGLE_2024 = [
    "First Name",
    "Middle Name",
    "Last Name",
    "Phonetic First Name",
    "Nickname",
    "File As",
    "E-mail 1 - Label",
    "E-mail 1 - Value",
    "Phone 1 - Label",
    "Phone 1 - Value",
    "Address 1 - Country",
    "Organization Name",
    "Labels",
]
OUTLOOK = [
    "Title",
    "First Name",
    "Middle Name",
    "Last Name",
    "Suffix",
    "Company",
    "Department",
    "Job Title",
    "Business Street",
    "Business City",
    "Business Country/Region",
    "Home Street",
    "Home Country/Region",
    "Assistant's Phone",
    "Business Fax",
    "Business Phone",
    "Business Phone 2",
    "Callback",
    "Car Phone",
    "Company Main Phone",
    "Home Fax",
    "Home Phone",
    "Home Phone 2",
    "ISDN",
    "Mobile Phone",
    "Other Fax",
    "Other Phone",
    "Pager",
    "Primary Phone",
    "Radio Phone",
    "TTY/TDD Phone",
    "Telex",
    "E-mail Address",
    "E-mail Type",
    "E-mail Display Name",
    "E-mail 2 Address",
    "Notes",
]
VCARD = [
    "N",
    "FN",
    "ORG",
    "TITLE",
    "TEL;TYPE=WORK,VOICE",
    "TEL;TYPE=HOME,VOICE",
    "TEL;TYPE=CELL",
    "EMAIL;TYPE=INTERNET",
    "ADR;TYPE=HOME",
]
HUBSPOT = [
    "Record ID",
    "First Name",
    "Last Name",
    "Email",
    "Phone Number",
    "Mobile Phone Number",
    "Fax Number",
    "Country/Region",
    "Contact owner",
    "Last Activity Date",
    "Lead Status",
    "Company Name",
    "Create Date",
]

M = ColumnMapping
CASES = [
    (
        "google",
        GOOGLE,
        M(phone=26, first_name=1, last_name=3, display_name=0, email=22, country=31),
    ),
    ("google 2024", GOOGLE_2024, M(phone=9, first_name=0, last_name=2, email=7, country=10)),
    ("outlook", OUTLOOK, M(phone=24, first_name=1, last_name=3, email=32, country=10)),
    ("vcard", VCARD, M(phone=6, display_name=1, email=7)),
    ("hubspot", HUBSPOT, M(phone=5, first_name=1, last_name=2, email=3, country=7)),
    (
        "english",
        ["Name", "Phone", "Email", "Country"],
        M(phone=1, display_name=0, email=2, country=3),
    ),
    (
        "english mobile",
        ["Full Name", "Home Phone", "Cell", "Work Phone"],
        M(phone=2, display_name=0),
    ),
    (
        "french",
        ["Nom", "Prénom", "Téléphone", "Portable", "Courriel", "Pays"],
        M(phone=3, first_name=1, last_name=0, email=4, country=5),
    ),
    ("french alone", ["Nom", "Tél."], M(phone=1, display_name=0)),
    (
        "french full",
        ["Nom et prénom", "N° de téléphone portable", "Adresse e-mail"],
        M(phone=1, display_name=0, email=2),
    ),
    (
        "french shouting",
        ["NOM DE FAMILLE", "PRENOM", "TELEPHONE-PORTABLE", "E-MAIL"],
        M(phone=2, first_name=1, last_name=0, email=3),
    ),
    (
        "german",
        ["Vorname", "Nachname", "Telefon", "Handy", "E-Mail-Adresse", "Land"],
        M(phone=3, first_name=0, last_name=1, email=4, country=5),
    ),
    (
        "german name",
        ["Name", "Vorname", "Mobilnummer", "Telefon (privat)"],
        M(phone=2, first_name=1, last_name=0),
    ),
    (
        "spanish",
        ["Nombre", "Apellidos", "Teléfono", "Móvil", "Correo electrónico", "País"],
        M(phone=3, first_name=0, last_name=1, email=4, country=5),
    ),
    ("spanish alone", ["Nombre", "Número de teléfono"], M(phone=1, display_name=0)),
    (
        "italian",
        ["Nome", "Cognome", "Telefono", "Cellulare", "Posta elettronica", "Paese"],
        M(phone=3, first_name=0, last_name=1, email=4, country=5),
    ),
    (
        "portuguese br",
        ["Nome", "Sobrenome", "Telefone", "Celular", "E-mail", "País"],
        M(phone=3, first_name=0, last_name=1, email=4, country=5),
    ),
    (
        "portuguese pt",
        ["Nome completo", "Telemóvel", "Apelido"],
        M(phone=1, display_name=0, last_name=2),
    ),
    (
        "dutch",
        ["Voornaam", "Achternaam", "Telefoonnummer", "Mobiel", "E-mailadres", "Land"],
        M(phone=3, first_name=0, last_name=1, email=4, country=5),
    ),
    ("dutch gsm", ["Naam", "GSM"], M(phone=1, display_name=0)),
    ("no phone", ["Nom", "Prénom", "Ville"], M(first_name=1, last_name=0)),
    ("fax is no phone", ["Fax", "Phone 1 - Type", "Pager", "Telefax"], M()),
]


@pytest.mark.parametrize(
    ("headers", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_real_world_header_rows_are_mapped(headers: list[str], expected: ColumnMapping) -> None:
    assert guess_mapping(headers) == expected


def test_among_several_phone_columns_the_mobile_one_wins_wherever_it_is() -> None:
    headers = ["Business Phone", "Phone", "Home Phone", "Mobile"]
    assert guess_mapping(headers).phone == 3
    assert guess_mapping(headers[:3]).phone == 1  # plain before home or business
    assert guess_mapping(["Phone 1 - Value", "Phone 2 - Value"]).phone == 0  # equals: the leftmost


def test_a_row_number_column_called_n_is_no_name_outside_vcard_exports() -> None:
    assert guess_mapping(["N", "Phone"]) == M(phone=1)


@pytest.mark.parametrize(
    ("header", "normalised"),
    [("Téléphone  Portable", "telephone portable"), ("E-Mail-Adresse", "email adresse"), ("Straße", "strasse"),
     ("Phone 1 - Value", "phone 1 value"), ("N° de tél.", "n de tel"), ("Country/Region", "country region")],
)  # fmt: skip
def test_headers_are_compared_without_case_accents_or_punctuation(
    header: str, normalised: str
) -> None:
    assert normalise(header) == normalised


def test_a_guess_is_a_mapping_that_validates_and_serialises() -> None:
    mapping = guess_mapping(OUTLOOK)
    validate_mapping(mapping, OUTLOOK)
    assert ColumnMapping(**asdict(mapping)) == mapping


def test_no_phone_column_lists_the_headers_found() -> None:
    with pytest.raises(MappingError) as refused:
        validate_mapping(guess_mapping(["Nom", "Prénom", "Ville"]), ["Nom", "Prénom", "Ville"])
    assert refused.value.code == "no_phone_column"
    assert (
        refused.value.message
        == 'No phone column was recognised; the columns are: "Nom", "Prénom", "Ville".'
    )


def test_a_long_header_list_is_cut_in_the_message() -> None:
    headers = [f"C{n}" for n in range(60)]
    with pytest.raises(MappingError) as refused:
        validate_mapping(M(), headers)
    assert '"C49" and 10 more' in refused.value.message


@pytest.mark.parametrize("index", [3, -1, True, "1"])
def test_a_column_outside_the_file_is_refused(index: object) -> None:
    with pytest.raises(MappingError) as refused:
        validate_mapping(M(phone=0, email=index), ["Phone", "Name", "Email"])  # type: ignore[arg-type]
    assert refused.value.code == "column_out_of_range"
    assert "email column" in refused.value.message and "0 to 2" in refused.value.message


def test_one_column_for_two_fields_is_refused() -> None:
    with pytest.raises(MappingError) as refused:
        validate_mapping(M(phone=0, first_name=1, display_name=1), ["Phone", "Name"])
    assert refused.value.code == "column_used_twice"
    assert (
        refused.value.message
        == 'Column 1 ("Name") is chosen as both the first name and the display name column.'
    )
