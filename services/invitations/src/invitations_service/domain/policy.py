"""The rules of inviting: expiry, resend cool-down, daily caps, refused destinations."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import phonenumbers
from contacts_servicekit.errors import ApiError, Invalid, TooManyRequests
from phonenumbers import PhoneNumberType

_REFUSED_TYPES = {
    PhoneNumberType.PREMIUM_RATE: (
        "premium_rate",
        "Premium-rate numbers are never invited (SMS pumping).",
    ),
    PhoneNumberType.SHARED_COST: (
        "shared_cost",
        "Shared-cost numbers are never invited (SMS pumping).",
    ),
    PhoneNumberType.FIXED_LINE: ("not_mobile", "A landline cannot receive an SMS invitation."),
}


class LimitReached(TooManyRequests):
    """429 of one named limit: `inviter_daily_cap`, `destination_daily_cap`, `resend_cooldown`."""

    def __init__(self, limit: str, message: str, retry_after: int) -> None:
        super().__init__(message, retry_after)
        self.limit = limit


def refusal_code(refusal: ApiError) -> str:
    """The rule that refused: the limit of a 429, else the error's own code."""
    return refusal.limit if isinstance(refusal, LimitReached) else refusal.code


@dataclass(frozen=True)
class Policy:
    expiry: timedelta = timedelta(days=30)
    resend_cooldown: timedelta = timedelta(minutes=10)
    destination_daily_cap: int = 5  # sends to one number or address a day, all inviters together
    inviter_daily_cap: int = 200  # invitations one user may send a day
    max_delivery_attempts: int = 6
    country_allow_list: bool = True  # each tenant's SMS go only to its allowed countries

    def check_resend(self, last_sent_at: datetime | None, now: datetime) -> None:
        """Refuse a resend inside the cool-down, saying when it may be tried again."""
        if last_sent_at is None:
            return
        ready_at = last_sent_at + self.resend_cooldown
        if now < ready_at:
            wait = math.ceil((ready_at - now).total_seconds())
            raise LimitReached(
                "resend_cooldown",
                f"This invitation was sent less than {int(self.resend_cooldown.total_seconds() // 60)} "
                f"minutes ago; it can be resent in {wait} s.",
                wait,
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
    )


def destination_cap_reached(now: datetime) -> LimitReached:
    """The refusal of a new invitation to a destination past its daily cap."""
    return LimitReached(
        "destination_daily_cap",
        "This number or address got too many invitations today; try tomorrow.",
        seconds_to_midnight(now),
    )


def checked_phone(phone: str) -> str:
    """An invitable mobile number in E.164, or 422 saying why it is refused."""
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        raise Invalid(
            "phone_unparseable", "Give the number in international form (+33...).", "phone"
        ) from None
    if number.extension:
        raise Invalid("phone_has_extension", "A mobile number has no extension.", "phone")
    if any(c.isalpha() for c in phone):  # phonenumbers would read O as 0, l as 1, ABC as 2
        raise Invalid("phone_unparseable", "A phone number has digits only, no letters.", "phone")
    if not phonenumbers.is_valid_number(number):
        raise Invalid("phone_invalid", "This phone number does not exist.", "phone")
    refused = _REFUSED_TYPES.get(phonenumbers.number_type(number))
    if refused:
        raise Invalid(refused[0], refused[1], "phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
