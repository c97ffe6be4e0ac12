"""How each status of a number is shown: the seed's icons and colours, and always words.

The words are catalogue message ids (English); templates translate them (`_(look.label)`).
The seed names three: blue check (ready to invite by SMS), red exclamation mark (format
error), green check (added); the platform adds four, each with its own words."""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:
    """Marks a word for the catalogue; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class StatusLook:
    icon: str  # an icon of templates/macros/icons.html
    tone: str  # blue, red, green, grey: the colour (never the only signal)
    label: str  # the words, a catalogue message id


LOOKS = {
    "ready_to_invite": StatusLook("check", "blue", N_("Ready to invite by SMS")),
    "invalid": StatusLook("exclamation", "red", N_("Phone number format error")),
    "user_added": StatusLook("check-circle", "green", N_("User added to your contacts")),
    "already_contact": StatusLook("check-circle", "grey", N_("Already in your contacts")),
    "already_invited": StatusLook("mail", "grey", N_("Already invited")),
    "duplicate_in_import": StatusLook("copy", "grey", N_("Duplicate in this list")),
    "self": StatusLook("info", "grey", N_("Your own number")),
}
PENDING = StatusLook("info", "grey", N_("Checking…"))
ORDER = tuple(LOOKS)
"""The statuses in the order counts are shown."""


def look_of(status: str | None) -> StatusLook:
    return LOOKS.get(status or "", PENDING)
