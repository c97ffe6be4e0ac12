"""Why a row's phone number can or cannot be invited: a snake_case code and one sentence.

Which numbers can take an SMS, and the reasons of those that cannot (landlines, premium-rate,
VoIP, numbers of no country, ...), are the platform's one rule in `contacts_destinations`,
shared with the invitations service and the directory. What is the importer's own is reading
what people typed: empty cells, text too long or too short to be a number, a row's country
that names none.
"""

from __future__ import annotations

from contacts_destinations import Reason

VALID_MOBILE = Reason("valid_mobile", "A valid mobile number: it can be invited by SMS.")
EMPTY = Reason("empty", "The phone number is empty.")
TOO_LONG_TEXT = Reason("too_long", "This text is too long to be a phone number.")
TOO_SHORT_TEXT = Reason("too_short", "This number is too short to be a phone number.")
UNKNOWN_REGION = Reason(
    "unknown_region",
    "No country could be determined for this number: write it with + and its country code.",
)


def unknown_country(country: str) -> Reason:
    return Reason(
        "unknown_region",
        f'The country "{country[:40]}" is not recognised: write the number with + and its '
        "country code.",
    )
