"""The Prometheus counters move: refusals by rule, sends by channel, failures by kind."""

from __future__ import annotations

import pytest
from contacts_servicekit.domain_errors import Conflicting, Refused
from contacts_servicekit.errors import Invalid
from invitations_service.adapters import metrics
from invitations_service.domain.policy import LimitReached
from prometheus_client import REGISTRY

pytestmark = pytest.mark.unit


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_sends_are_counted_by_channel() -> None:
    before = sample("invitations_sent_total", channel="email")
    metrics.count_sent("email")
    assert sample("invitations_sent_total", channel="email") == before + 1


def test_failures_are_counted_by_channel_and_whether_given_up() -> None:
    retried = sample("invitation_deliveries_failed_total", channel="sms", permanent="false")
    given_up = sample("invitation_deliveries_failed_total", channel="sms", permanent="true")
    metrics.count_delivery_failed("sms", permanent=False)
    metrics.count_delivery_failed("sms", permanent=False)
    metrics.count_delivery_failed("sms", permanent=True)
    assert sample("invitation_deliveries_failed_total", channel="sms", permanent="false") == (
        retried + 2
    )
    assert sample("invitation_deliveries_failed_total", channel="sms", permanent="true") == (
        given_up + 1
    )


@pytest.mark.parametrize(
    ("refusal", "reason"),
    [
        (
            Refused("premium_rate", "Premium-rate numbers are never invited.", "phone"),
            "premium_rate",
        ),
        (Refused("country_not_allowed", "Not there.", "phone"), "country_not_allowed"),
        (
            LimitReached("inviter_daily_cap", "At most 200 a day.", 10, 200, 86400),
            "inviter_daily_cap",
        ),
        (LimitReached("resend_cooldown", "Wait.", 10, 1, 600), "resend_cooldown"),
        (
            Invalid("idempotency_key_reused", "Another body.", "Idempotency-Key"),
            "idempotency_key_reused",
        ),
    ],
)
def test_a_refusal_is_counted_by_its_rule_and_still_raised(refusal: Exception, reason: str) -> None:
    before = sample("invitations_refused_total", reason=reason)
    with pytest.raises(type(refusal)), metrics.refusals_counted():
        raise refusal
    assert sample("invitations_refused_total", reason=reason) == before + 1


def test_other_errors_are_not_refusals() -> None:
    before = sample("invitations_refused_total", reason="send_in_progress")
    with pytest.raises(Conflicting), metrics.refusals_counted():
        raise Conflicting("send_in_progress", "Being sent.")
    assert sample("invitations_refused_total", reason="send_in_progress") == before
