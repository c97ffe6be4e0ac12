"""Why a row got its status, in catalogue words: the importer's `reason_code` (its own codes,
`importer_service.domain.phone_reasons` and `statuses`, and the phone rules of
`contacts_destinations`) read into a message id with placeholders and its parameters.

The service sends each row's reason as an English sentence too. Some codes have several
sentences (`unknown_region`: no country, a country cell not recognised, a calling code no
country uses), and some name a parameter (the place, the row of the first duplicate, the
country cell): each code's variants are told apart by that sentence, and a variant with
parameters reads them back from it (its message is the sentence with placeholders). A code missing here, or a sentence no variant recognises, has no words: the page
shows the service's sentence then (`tests/test_row_reasons.py` holds every code and sentence
the libraries define to this table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from contacts_web.domain.statuses import N_

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class Variant:
    message: str  # a catalogue message id; its placeholders are the pattern's groups
    pattern: re.Pattern[str] | None = None  # None: any sentence of the code


@dataclass(frozen=True)
class Explained:
    message: str
    parameters: dict[str, str]  # "place" still in the service's English (see places.py)


def _worded(message: str) -> Variant:
    """The variant whose sentence is `message` itself, its placeholders filled: the service's
    English sentence, from which the parameters are read back."""
    pieces = _PLACEHOLDER.split(message)  # text, name, text, name, ..., text
    pattern = "".join(
        f"(?P<{piece}>.+?)" if index % 2 else re.escape(piece) for index, piece in enumerate(pieces)
    )
    return Variant(message, re.compile(f"^{pattern}$"))


def _plain(message: str) -> tuple[Variant]:
    return (Variant(message),)


ROW_REASONS: dict[str, tuple[Variant, ...]] = {
    "ready_to_invite": _plain(N_("Ready to be invited by SMS.")),
    "valid_mobile": _plain(N_("A valid mobile number: it can be invited by SMS.")),
    "user_added": _plain(N_("Already a user: added to your contacts.")),
    "already_contact": _plain(N_("Already in your contacts.")),
    "already_invited": _plain(N_("Already invited; the invitation is pending.")),
    "self": _plain(N_("This is your own number.")),
    "duplicate_in_import": (
        _worded(N_("Same number as row %(row)s.")),
        Variant(N_("Same number as an earlier row.")),
    ),
    "empty": _plain(N_("The phone number is empty.")),
    "too_long": (
        _worded(N_("This number is too long for %(place)s.")),
        _worded(N_("This text is too long to be a phone number.")),
    ),
    "too_short": (
        _worded(N_("This number is too short for %(place)s.")),
        _worded(N_("This number is too short to be a phone number.")),
    ),
    "invalid_length": (_worded(N_("This number has the wrong number of digits for %(place)s.")),),
    "invalid_number": (
        _worded(N_("This number does not exist in the numbering plan of %(place)s.")),
    ),
    "unparseable": (
        Variant(
            N_("This number contains letters: type it with digits only (0, not the letter O)."),
            re.compile(r"\bletters\b"),
        ),
        Variant(
            N_("This is not a phone number: type digits, with + and the country code if needed.")
        ),
    ),
    "unknown_region": (
        _worded(
            N_(
                'The country "%(country)s" is not recognised: write the number with + and '
                "its country code."
            )
        ),
        Variant(
            N_("No country uses the calling code after the +: check the country code."),
            re.compile(r"\bcalling code\b"),
        ),
        Variant(
            N_(
                "No country could be determined for this number: write it with + and its "
                "country code."
            )
        ),
    ),
    "has_extension": _plain(
        N_("Numbers with an extension cannot receive SMS: remove the extension.")
    ),
    "non_geographic": _plain(
        N_(
            "This is an international network number (satellite or global service): it is "
            "refused to prevent SMS fraud."
        )
    ),
    "not_mobile": (
        _worded(N_("This is a landline number in %(place)s: a landline cannot receive SMS.")),
    ),
    "premium_rate": (
        _worded(
            N_("This is a premium-rate number in %(place)s: it is refused to prevent SMS fraud.")
        ),
    ),
    "shared_cost": (
        _worded(
            N_("This is a shared-cost number in %(place)s: it is refused to prevent SMS fraud.")
        ),
    ),
    "personal_number": (
        _worded(
            N_(
                "This is a personal forwarding number in %(place)s: it is refused to "
                "prevent SMS fraud."
            )
        ),
    ),
    "voip": (
        _worded(
            N_(
                "This is a VoIP number in %(place)s: it may not receive SMS, so it cannot "
                "be invited."
            )
        ),
    ),
    "toll_free": (
        _worded(
            N_("This is a toll-free number in %(place)s: toll-free numbers cannot receive SMS.")
        ),
    ),
    "uan": (_worded(N_("This is a company access number in %(place)s: it cannot receive SMS.")),),
    "pager": (_worded(N_("This is a pager number in %(place)s: it cannot receive SMS.")),),
    "voicemail": (
        _worded(N_("This is a voicemail access number in %(place)s: it cannot receive SMS.")),
    ),
}


def explain(reason_code: str | None, sentence: str | None) -> Explained | None:
    """The words of a row's reason, or None when this table has none for it (an unknown
    code, or a sentence none of the code's variants recognises)."""
    for variant in ROW_REASONS.get(reason_code or "", ()):
        if variant.pattern is None:
            return Explained(variant.message, {})
        found = variant.pattern.search(sentence or "")
        if found:
            return Explained(variant.message, found.groupdict())
    return None
