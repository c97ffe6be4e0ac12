"""The name an inviter gives the person they invite, as the invitation keeps it."""

from __future__ import annotations

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
