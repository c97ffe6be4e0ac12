"""The directory's own tables that would gain rows forever, and how long each row is kept
(docs/data-retention.md, "The directory's tables").

Each rule is an `Expiry` of the messaging library: the retention loop every instance runs
(`ServiceHost.add_purge`) deletes, in short batches through an index on the time column
(migration 0007), the rows whose time is older than the retention. A row is purged only once
nothing can read it any more: the margins below are for an operator looking into what
happened, not for the service.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from contacts_messaging.retention import Expiry

from directory_service.domain.credentials import SessionRules
from directory_service.domain.rate_limits import Limit

# An expired code is never read again (`take_attempt` wants `expires_at > now()`), and a
# request for a code replaces the row anyway: an hour is only a margin for slow requests.
CODE_KEPT_AFTER_EXPIRY = timedelta(hours=1)

# An expired refresh token is refused before its reuse is even checked (`refresh_token_invalid`,
# as an unknown token is), and a session past its end has no token left to present. A week more
# keeps a stolen token's trail (`revoked_reason = 'refresh_token_reused'`) for whoever
# investigates a report of theft.
SESSION_KEPT_AFTER_END = timedelta(days=7)

# An answered or expired offer is shown nowhere (the lists hold pending offers only); a month
# leaves a repeated answer its usual 200 or 409 `offer_closed` rather than 404.
OFFER_KEPT_AFTER_CLOSE = timedelta(days=30)


def directory_expiries(rules: SessionRules, limits: Iterable[Limit]) -> tuple[Expiry, ...]:
    """The purges of the directory's tables. `limits` must be every rate limit the service
    takes tokens of: a bucket goes once it would have refilled under the slowest of them.

    Refresh tokens come before sessions, so a session's tokens are gone when it goes (the
    foreign key also cascades)."""
    return (
        Expiry("one_time_codes", "expires_at", CODE_KEPT_AFTER_EXPIRY.total_seconds()),
        Expiry("refresh_tokens", "expires_at", SESSION_KEPT_AFTER_END.total_seconds()),
        Expiry("sessions", "expires_at", SESSION_KEPT_AFTER_END.total_seconds()),
        # a revoked session's last token, issued just before, lives one refresh lifetime more
        Expiry(
            "sessions",
            "revoked_at",
            (rules.refresh_lifetime + SESSION_KEPT_AFTER_END).total_seconds(),
        ),
        Expiry("rate_limits", "updated_at", rate_limit_retention_seconds(limits)),
        Expiry("membership_offers", "answered_at", OFFER_KEPT_AFTER_CLOSE.total_seconds()),
        # a pending offer past `expires_at` reads as expired; answered_at is not set on it
        Expiry("membership_offers", "expires_at", OFFER_KEPT_AFTER_CLOSE.total_seconds()),
    )


def rate_limit_retention_seconds(limits: Iterable[Limit]) -> float:
    """How long a bucket left alone takes to be full again under the slowest limit: a full
    bucket and a missing one both give `burst` tokens (`rate_limiter.BUCKET`), so from then on
    the row only takes space (an attacker typing new numbers would grow it at will)."""
    return max(limit.burst / limit.per_second for limit in limits)
