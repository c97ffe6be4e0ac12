"""Value types shared by the catalogue: precise string formats and the channel enum.

Patterns use explicit `[0-9]` ranges: pydantic's regex engine treats `\\d` as any Unicode digit.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import StringConstraints

PhoneE164 = Annotated[
    str,
    StringConstraints(pattern=r"^\+[1-9][0-9]{6,14}$", max_length=16),
]
"""A phone number in E.164 form: `+`, country code, subscriber number; 7 to 15 digits."""

EmailAddress = Annotated[
    str,
    StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254),
]
"""An email address (a plain shape check: the directory verifies addresses itself)."""

ConnectId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$"),
]
"""A ConnectID as the directory issued it (the directory owns the exact format)."""

DisplayName = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"\S")]
"""A name shown to people: not blank, at most 200 characters."""

ReasonCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
"""A machine-readable reason, snake_case. An open set: new codes are not a breaking change."""

Reason = Annotated[str, StringConstraints(min_length=1, max_length=500)]
"""The same reason as a sentence for people."""


class InvitationChannel(StrEnum):
    """How an invitation reaches the invitee."""

    SMS = "sms"
    EMAIL = "email"


def check_channel_address(
    channel: InvitationChannel, phone_e164: str | None, email: str | None
) -> None:
    """An SMS needs a phone number, an email needs an address."""
    if channel is InvitationChannel.SMS and phone_e164 is None:
        raise ValueError("phone_e164 is required when channel is 'sms'")
    if channel is InvitationChannel.EMAIL and email is None:
        raise ValueError("email is required when channel is 'email'")
