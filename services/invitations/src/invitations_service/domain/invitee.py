"""Whom an invite through the API asks for: the channel, its number or address, and the name
the inviter gives the person they invite, as the invitation keeps it."""

from __future__ import annotations

from dataclasses import dataclass

from contacts_events.names import clean_name, has_control_characters
from contacts_servicekit.domain_errors import Refused


def invitee_name(raw: str | None) -> str | None:
    """`raw` without invisible and direction-changing characters, white space collapsed
    (`contacts_events.names`); None when nothing visible is left. Control characters are
    refused (`name_control_characters`): the inviter is there to correct them."""
    if raw is None:
        return None
    if has_control_characters(raw):
        raise Refused("name_control_characters", "The name contains control characters.", "name")
    return clean_name(raw) or None


@dataclass(frozen=True)
class Asked:
    """An invite as typed: the destination is checked by the use case (a refusal, counted),
    the rest here (a malformed request)."""

    channel: str  # "sms" or "email"
    phone: str | None  # as typed, for SMS
    email: str | None  # as typed, for email
    name: str | None  # cleaned (invitee_name)

    @classmethod
    def of(cls, channel: str, phone: str | None, email: str | None, name: str | None) -> Asked:
        """Refused when the channel's destination is missing or the name has control
        characters; the other destination is dropped."""
        if channel == "sms" and not phone:
            raise Refused("phone_required", "An SMS invitation needs a phone number.", "phone")
        if channel == "email" and not email:
            raise Refused("email_required", "An email invitation needs an email address.", "email")
        sms = channel == "sms"
        return cls(channel, phone if sms else None, None if sms else email, invitee_name(name))
