"""What people type: letters, extensions, the row's country, `00`, digits of other scripts."""

import pytest
from importer_service.domain.phones import check_phone

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "raw",
    [
        "O612345678",
        "06l2345678",
        "06 I2 34 56 78",
        "+33 6 12 34 S6 78",
        "1-800-FLOWERS",
        "\u041e612345678",  # Cyrillic O
    ],
)
def test_look_alike_letters_are_refused_rather_than_guessed(raw: str) -> None:
    check = check_phone(raw, "FR")
    assert (check.reason_code, check.e164) == ("unparseable", None)
    assert "letters" in check.reason


@pytest.mark.parametrize(
    "raw",
    ["06 12 34 56 78 x12", "0612345678#12", "+33612345678;ext=12", "06 12 34 56 78 extension 12"],
)
def test_every_extension_spelling_is_refused_as_an_extension(raw: str) -> None:
    check = check_phone(raw, "FR")
    assert (check.reason_code, check.e164, check.valid) == ("has_extension", "+33612345678", False)


def test_the_row_country_wins_over_the_default_region_for_national_numbers() -> None:
    assert check_phone("0612345678", "GB", "FR").e164 == "+33612345678"
    assert check_phone("0612345678", "GB", "France").e164 == "+33612345678"
    assert check_phone("07400 123456", "FR", "UK").e164 == "+447400123456"
    assert check_phone("0612345678", "GB").reason_code == "invalid_number"


def test_a_blank_row_country_falls_back_to_the_default_region() -> None:
    assert check_phone("0612345678", "FR", "  ").e164 == "+33612345678"
    assert check_phone("0612345678", "fr", None).e164 == "+33612345678"


def test_international_numbers_ignore_both_regions() -> None:
    assert check_phone("+447400123456", "FR", "DE").e164 == "+447400123456"
    assert check_phone("+447400123456", "ZZ", "Narnia").valid


def test_a_national_number_without_any_known_country_has_an_unknown_region() -> None:
    no_default = check_phone("0612345678", "ZZ")
    assert (no_default.reason_code, no_default.e164) == ("unknown_region", None)
    assert "No country could be determined" in no_default.reason
    unknown_row = check_phone("0612345678", "FR", "Narnia")
    assert unknown_row.reason_code == "unknown_region"
    assert '"Narnia" is not recognised' in unknown_row.reason


@pytest.mark.parametrize(
    ("raw", "default_region"),
    [
        ("0033612345678", "US"),
        ("00 33 6 12 34 56 78", "GB"),
        ("0033 6 12 34 56 78", "ZZ"),
        ("00-33-6-12-34-56-78", "FR"),
    ],
)
def test_00_is_the_international_prefix_whatever_the_region(raw: str, default_region: str) -> None:
    assert check_phone(raw, default_region, "JP").e164 == "+33612345678"


@pytest.mark.parametrize(
    "raw",
    [
        "٠٦١٢٣٤٥٦٧٨",  # Arabic-Indic digits
        "۰۶۱۲۳۴۵۶۷۸",  # Extended Arabic-Indic (Persian) digits
        "０６１２３４５６７８",  # noqa: RUF001 (full-width digits)
        "＋３３ ６ １２ ３４ ５６ ７８",  # noqa: RUF001 (full-width plus and digits)
        "०६१२३४५६७८",  # Devanagari digits
        "٠٠٣٣٦١٢٣٤٥٦٧٨",  # Arabic-Indic 00 prefix
        "\u202a+33 6 12 34 56 78\u202c",  # bidi marks of a copy from a right-to-left page
        "+33\u00a06\u00a012\u00a034\u00a056\u00a078",  # no-break spaces
    ],
)
def test_unicode_digits_and_spaces_are_read_as_digits(raw: str) -> None:
    check = check_phone(raw, "FR")
    assert (check.valid, check.e164, check.raw) == (True, "+33612345678", raw)
