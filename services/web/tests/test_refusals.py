"""Refusals in words: the invitations' limits (told apart by RateLimit-Policy, since every
429 has the code `rate_limited`) say when to try again; a company's contact says why."""

from __future__ import annotations

import httpx
import pytest
from contacts_client import ApiError
from contacts_web.entrypoints.words.refusals import limit_reached, refusal_words

pytestmark = pytest.mark.unit


def refused(status: int, error: str, **headers: str) -> ApiError:
    problem = {"error": error, "detail": "the service's own English sentence"}
    return ApiError(status, problem, httpx.Headers(headers))


def limit(name: str, retry_after: int) -> ApiError:
    return refused(429, "rate_limited", **{
        "Retry-After": str(retry_after), "RateLimit-Policy": f'"{name}";q=1;w=600',
    })  # fmt: skip


def test_the_cool_down_says_how_long_to_wait():
    words = refusal_words(limit("resend_cooldown", 3))
    assert words == "You sent this invitation a short while ago. You can resend it in 3 seconds."
    assert "10 minutes" in refusal_words(limit("resend_cooldown", 600))


def test_the_daily_caps_say_when_the_day_starts_again():
    assert "in 5 hours" in refusal_words(limit("destination_daily_cap", 5 * 3600 + 30))
    assert refusal_words(limit("inviter_daily_cap", 60)).startswith("You sent the most invitations")


def test_a_limit_is_named_by_its_policy_and_only_on_a_429():
    assert limit_reached(limit("resend_cooldown", 3)) == "resend_cooldown"
    assert limit_reached(refused(429, "rate_limited")) is None
    assert (
        limit_reached(refused(409, "send_in_progress", **{"RateLimit-Policy": '"x";q=1'})) is None
    )
    unnamed = refusal_words(refused(429, "rate_limited", **{"Retry-After": "120"}))
    assert unnamed == "Too many attempts. Please try again in 2 minutes."


def test_a_company_contact_cannot_be_archived_in_the_readers_words():
    words = refusal_words(refused(409, "managed_by_company"))
    assert words == "You cannot archive contacts managed by your company."


def test_an_unknown_code_keeps_the_services_sentence():
    assert refusal_words(refused(409, "new_code")) == "the service's own English sentence"
