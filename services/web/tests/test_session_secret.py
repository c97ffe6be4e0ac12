"""The session secret: what the cookie holds, and what comes from it (row id, sealed tokens,
CSRF token)."""

from __future__ import annotations

import pytest
from contacts_web.domain.session_secret import SealBroken, SessionSecret

pytestmark = pytest.mark.unit


def test_a_cookie_value_gives_back_its_secret():
    secret = SessionSecret.new()
    assert SessionSecret.from_cookie(secret.cookie_value) == secret
    assert len(secret.cookie_value) == 43


@pytest.mark.parametrize("value", [None, "", "short", "x" * 44, "!" * 43, "A" * 42 + "=", "é" * 43])
def test_a_malformed_cookie_is_no_secret(value):
    assert SessionSecret.from_cookie(value) is None


def test_sealed_data_opens_only_with_its_own_secret():
    mine, theirs = SessionSecret.new(), SessionSecret.new()
    sealed = mine.seal(b"tokens")
    assert b"tokens" not in sealed
    assert mine.open(sealed) == b"tokens"
    with pytest.raises(SealBroken):
        theirs.open(sealed)
    with pytest.raises(SealBroken):
        mine.open(sealed[:-1] + bytes([sealed[-1] ^ 1]))  # changed by one bit


def test_the_row_id_and_csrf_token_reveal_nothing_of_the_secret_and_differ_per_session():
    one, two = SessionSecret.new(), SessionSecret.new()
    assert one.row_id != two.row_id and one.csrf_token != two.csrf_token
    assert one.raw not in one.row_id and one.cookie_value != one.csrf_token
    assert "raw" not in repr(one) and one.cookie_value not in repr(one)


def test_only_the_sessions_own_csrf_token_is_accepted():
    mine, theirs = SessionSecret.new(), SessionSecret.new()
    assert mine.accepts_csrf_token(mine.csrf_token)
    assert not mine.accepts_csrf_token(theirs.csrf_token)
    assert not mine.accepts_csrf_token(None)
    assert not mine.accepts_csrf_token("")
