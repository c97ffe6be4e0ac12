"""The invitations service's Prometheus metrics, in the process's default registry (the shared
HTTP app serves it at /metrics)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from contacts_servicekit.domain_errors import DomainError, LimitReached, Refused
from contacts_servicekit.errors import ApiError, Invalid, TooManyRequests
from prometheus_client import Counter, Gauge

from invitations_service.domain.policy import refusal_code

SENT = Counter(
    "invitations_sent_total",
    "Invitation messages the provider accepted (first sends and resends).",
    ["channel"],
)
REFUSED = Counter(
    "invitations_refused_total",
    "Invitations and resends refused, by the rule that refused them (premium_rate, "
    "country_not_allowed, inviter_daily_cap, destination_daily_cap, resend_cooldown, ...).",
    ["reason"],
)
DELIVERIES_FAILED = Counter(
    "invitation_deliveries_failed_total",
    "Delivery attempts that failed; permanent='true' when the message is given up, "
    "'false' when it is retried.",
    ["channel", "permanent"],
)

DELIVERY_CLAIMS = Counter(
    "invitation_delivery_claims_total",
    "Claims of due deliveries by the delivery worker (a transaction each, whether it found any).",
)

HANDED_OVER = Counter(
    "invitation_deliveries_handed_over_total",
    "Messages an API request claimed for this process's delivery worker and handed to it at its "
    "commit (handlers/sending/handover.py); taken='false' when the worker gave one back to the "
    "queue because it could not start it within its claim horizon.",
    ["taken"],
)

SEND_RATE = Gauge(
    "invitation_send_rate_per_second",
    "The rate this process's delivery worker paces its sends at: its share of SENDS_PER_SECOND, "
    "which the service's workers divide among those running (handlers/sending/rate_share.py); "
    "summed over an instance's processes.",
    multiprocess_mode="livesum",
)


def set_send_rate(per_second: float) -> None:
    SEND_RATE.set(per_second)


def count_handed_over(*, taken: bool) -> None:
    HANDED_OVER.labels(taken=str(taken).lower()).inc()


def count_sent(channel: str) -> None:
    SENT.labels(channel=channel).inc()


def count_claim() -> None:
    DELIVERY_CLAIMS.inc()


def count_refused(reason: str) -> None:
    REFUSED.labels(reason=reason).inc()


def count_delivery_failed(channel: str, *, permanent: bool) -> None:
    DELIVERIES_FAILED.labels(channel=channel, permanent=str(permanent).lower()).inc()


@contextmanager
def refusals_counted() -> Iterator[None]:
    """Count a refusal raised inside (a rule refusing, a limit reached: 422 or 429), by its
    rule, and let it go on. The web's own 422s raised inside count too (a reused idempotency
    key), as they did before the use cases raised domain errors."""
    try:
        yield
    except (Refused, LimitReached, Invalid, TooManyRequests) as refusal:
        count_refused(_rule(refusal))
        raise


def _rule(refusal: DomainError | ApiError) -> str:
    return refusal_code(refusal) if isinstance(refusal, DomainError) else refusal.code
