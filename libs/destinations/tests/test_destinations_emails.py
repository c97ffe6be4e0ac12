"""Email addresses: one address, normalised, or refused with a sentence."""

from __future__ import annotations

import pytest
from contacts_destinations import Refused, email_address

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("zoe@example.org", "zoe@example.org"),
        ("  Zoe@Example.ORG ", "Zoe@example.org"),  # the domain is case-insensitive
        ("zoé@exämple.fr", "zoé@exämple.fr"),
    ],
)
def test_an_address_comes_back_normalised(raw: str, normalised: str) -> None:
    assert email_address(raw) == normalised


@pytest.mark.parametrize(
    "raw",
    [
        "zoe@example.org\r\nBcc: all@example.net",
        "zoe@example.org\n",
        "zoe\r@example.org",
        "zoe@example.org\x00",
    ],
)
def test_control_characters_are_refused_and_named(raw: str) -> None:
    with pytest.raises(Refused, match="line breaks or other control characters") as refused:
        email_address(raw)
    assert refused.value.code == "email_invalid"


@pytest.mark.parametrize(
    "raw",
    [
        "not-an-email",
        "",
        "zoe@",
        "@example.org",
        "zoe@localhost",
        "zoe@example.test",
        "Zoe <zoe@example.org>",
        "zoe@example.org, ada@example.org",
        '"zoe x"@example.org',
        "zoe@[192.0.2.1]",
        "zoe..x@example.org",
    ],
)
def test_anything_but_one_address_is_refused_with_the_libraries_sentence(raw: str) -> None:
    with pytest.raises(Refused) as refused:
        email_address(raw)
    assert refused.value.code == "email_invalid"
    assert refused.value.sentence.endswith(".")
