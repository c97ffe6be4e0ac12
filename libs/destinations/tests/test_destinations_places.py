"""Places in sentences: `France (+33)`, `the United Kingdom (+44)`."""

from __future__ import annotations

import phonenumbers
import pytest
from contacts_destinations import place, place_of, region_name

pytestmark = pytest.mark.unit


def test_regions_take_an_article_where_english_needs_one() -> None:
    assert region_name("GB", article=True) == "the United Kingdom"
    assert region_name("FR", article=True) == "France"
    assert region_name("XK") == "Kosovo"  # phonenumbers has no name for it


def test_a_place_is_the_region_of_the_calling_code() -> None:
    assert place(44, "GG") == "Guernsey (+44)"
    assert place(44, "FR") == "the United Kingdom (+44)"  # FR does not use +44
    assert place(881, None) == "the international network (+881)"


def test_a_parsed_number_knows_its_place() -> None:
    assert place_of(phonenumbers.parse("+12015550123", None)) == "the United States (+1)"
