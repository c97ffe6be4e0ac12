"""The resend cool-down as a rule: when it refuses, for how long, and how it says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from invitations_service.domain.policy import Policy

pytestmark = pytest.mark.unit

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_no_message_yet_or_the_cool_down_over_refuses_nothing() -> None:
    policy = Policy(resend_cooldown=timedelta(minutes=10))
    assert policy.cooldown_refusal(None, NOW) is None
    assert policy.cooldown_refusal(NOW - timedelta(minutes=10), NOW) is None


def test_inside_the_cool_down_the_refusal_says_when_to_try_again() -> None:
    refusal = Policy(resend_cooldown=timedelta(minutes=10)).cooldown_refusal(
        NOW - timedelta(seconds=130.5), NOW
    )
    assert refusal is not None
    assert (refusal.limit, refusal.code, refusal.retry_after) == (
        "resend_cooldown",
        "rate_limited",
        470,
    )
    assert refusal.message == (
        "You invited this number or address less than 10 minutes ago; it can be resent in 470 s."
    )


def test_a_short_cool_down_is_told_in_seconds() -> None:
    refusal = Policy(resend_cooldown=timedelta(seconds=6)).cooldown_refusal(NOW, NOW)
    assert refusal is not None
    assert "less than 6 seconds ago" in refusal.message
    assert refusal.retry_after == 6
