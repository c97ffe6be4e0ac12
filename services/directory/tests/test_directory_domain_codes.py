"""One-time codes and refresh tokens as values: no I/O."""

from __future__ import annotations

import pytest
from contacts_servicekit.domain_errors import Refused
from directory_service.domain.credentials import new_refresh_token, refresh_token_hash
from directory_service.domain.one_time_codes import (
    Purpose,
    code_hmac,
    matches,
    new_code,
    typed_code,
)

pytestmark = pytest.mark.unit

SECRET = b"k" * 32


def test_codes_are_six_digits_with_leading_zeros_kept() -> None:
    codes = {new_code() for _ in range(2000)}

    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(codes) > 1900  # random, not a counter
    assert any(code.startswith("0") for code in codes)


def test_a_code_matches_only_its_purpose_and_destination() -> None:
    stored = code_hmac(SECRET, Purpose.SIGN_IN, "+447400123456", "123456")

    assert matches(SECRET, Purpose.SIGN_IN, "+447400123456", "123456", stored)
    assert not matches(SECRET, Purpose.SIGN_IN, "+447400123456", "123457", stored)
    assert not matches(SECRET, Purpose.SIGN_IN, "+447400123457", "123456", stored)
    assert not matches(SECRET, Purpose.VERIFY_PHONE, "+447400123456", "123456", stored)
    assert not matches(b"x" * 32, Purpose.SIGN_IN, "+447400123456", "123456", stored)


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("123456", "123456"),
        (" 123 456 ", "123456"),
        ("123-456", "123456"),
        ("\uff11\uff12\uff13\uff14\uff15\uff16", "123456"),  # full-width
        ("\u0661\u0662\u0663\u0664\u0665\u0666", "123456"),  # Arabic-Indic
    ],
)
def test_typed_codes_ignore_spaces_and_hyphens(typed: str, digits: str) -> None:
    assert typed_code(typed) == digits


@pytest.mark.parametrize("typed", ["12345", "1234567", "12a456", "", "12345\x00", "12345²"])
def test_anything_but_six_ascii_digits_is_refused(typed: str) -> None:
    with pytest.raises(Refused) as refused:
        typed_code(typed)

    assert (refused.value.code, refused.value.field) == ("code_malformed", "code")


def test_refresh_tokens_are_long_random_and_stored_hashed() -> None:
    token = new_refresh_token()

    assert len(token) >= 43
    assert new_refresh_token() != token
    assert len(refresh_token_hash(token)) == 32
    assert refresh_token_hash(token) == refresh_token_hash(token)
