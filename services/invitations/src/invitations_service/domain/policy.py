"""The rules of inviting: expiry, resend cool-down, daily caps, refused destinations.

Which numbers and addresses can be invited at all is the platform's one rule
(`contacts_destinations`), shared with the importer and the directory; this module maps its
refusals onto the domain's `Refused` (422 at the web edge).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from contacts_destinations import Refused as Undeliverable
from contacts_destinations import api_code, email_address, sms_number
from contacts_servicekit import domain_errors as domain
from contacts_servicekit.domain_errors import DomainError, QuotaPolicy, Refused

DAY_SECONDS = 86400


class LimitReached(domain.LimitReached):
    """One named limit reached: `inviter_daily_cap`, `destination_daily_cap`,
    `resend_cooldown`, which allows `quota` messages every `window` seconds (the web edge
    answers 429 `rate_limited` with the RateLimit-Policy header naming it)."""

    def __init__(self, limit: str, message: str, retry_after: int, quota: int, window: int):
        super().__init__(
            "rate_limited", message, retry_after, policy=QuotaPolicy(limit, quota, window)
        )
        self.limit = limit


def refusal_code(refusal: DomainError) -> str:
    """The rule that refused: the limit reached, else the error's own code."""
    return refusal.limit if isinstance(refusal, LimitReached) else refusal.code


@dataclass(frozen=True)
class Policy:
    expiry: timedelta = timedelta(days=30)
    resend_cooldown: timedelta = timedelta(minutes=10)  # between messages to one destination
    destination_daily_cap: int = 5  # sends to one number or address a day, all inviters together
    inviter_daily_cap: int = 200  # invitations one user may send a day
    max_delivery_attempts: int = 6
    country_allow_list: bool = True  # each tenant's SMS go only to its allowed countries

    def cooldown_refusal(
        self, last_message_at: datetime | None, now: datetime
    ) -> LimitReached | None:
        """The refusal of a message to a destination the inviter asked one for less than the
        cool-down ago (`last_message_at`, whichever invitation it was for), saying when it may
        be tried again; None once the cool-down has passed."""
        if last_message_at is None or now >= last_message_at + self.resend_cooldown:
            return None
        wait = math.ceil((last_message_at + self.resend_cooldown - now).total_seconds())
        return LimitReached(
            "resend_cooldown",
            f"You invited this number or address less than {_duration(self.resend_cooldown)} "
            f"ago; it can be resent in {wait} s.",
            wait,
            1,
            round(self.resend_cooldown.total_seconds()),
        )

    def retry_delay(self, attempts: int) -> timedelta:
        """Back-off between delivery attempts: 2, 4, 8 ... seconds, at most 5 minutes."""
        return timedelta(seconds=min(300, 2**attempts))


def seconds_to_midnight(now: datetime) -> int:
    """Seconds until the next UTC day, when the daily caps start again (at least 1)."""
    tomorrow = datetime(now.year, now.month, now.day, tzinfo=UTC).timestamp() + 86400
    return max(1, int(tomorrow - now.timestamp()))


def inviter_cap_reached(policy: Policy, now: datetime) -> LimitReached:
    """The refusal of a new invitation past the inviter's daily cap."""
    return LimitReached(
        "inviter_daily_cap",
        f"You can send at most {policy.inviter_daily_cap} invitations a day.",
        seconds_to_midnight(now),
        policy.inviter_daily_cap,
        DAY_SECONDS,
    )


def destination_cap_reached(
    policy: Policy, now: datetime, message: str = "This number or address got too many "
    "invitations today; try tomorrow."
) -> LimitReached:  # fmt: skip
    """The refusal of a message to a destination past its daily cap."""
    return LimitReached(
        "destination_daily_cap", message, seconds_to_midnight(now),
        policy.destination_daily_cap, DAY_SECONDS,
    )  # fmt: skip


def checked_phone(phone: str) -> str:
    """A number that can take an invitation SMS, in E.164 (the platform's one rule,
    `contacts_destinations`), or Refused on `phone` with the reason's code and sentence. The codes
    this API gave before the rule was shared are kept (`phone_unparseable`, `phone_invalid`,
    `phone_has_extension`); refused types keep the rule's (`not_mobile`, `toll_free`, ...)."""
    try:
        return sms_number(phone)
    except Undeliverable as refused:
        raise Refused(api_code(refused.code), refused.sentence, "phone") from None


def checked_email(email: str) -> str:
    """The normalised address, or Refused `email_invalid` on `email` saying what is wrong (CR/LF
    and other control characters, anything that is not one address)."""
    try:
        return email_address(email)
    except Undeliverable as refused:
        raise Refused(refused.code, refused.sentence, "email") from None


def _duration(span: timedelta) -> str:
    """`10 minutes`, `1 minute`, `30 seconds`: the cool-down in a sentence."""
    seconds = round(span.total_seconds())
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds // 60} minute{'s' if seconds != 60 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
