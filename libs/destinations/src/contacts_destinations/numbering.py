"""Why a text or a parsed number is not a real phone number: letters, its length, or its
country's numbering plan. Sentences name the place (`France (+33)`, see `places`)."""

from __future__ import annotations

import phonenumbers
from phonenumbers import PhoneNumber, ValidationResult

from contacts_destinations.places import place, place_of
from contacts_destinations.reasons import Reason

MAX_E164_LENGTH = 16  # "+" and E.164's 15 digits; some plans allow more, no SMS route does

UNPARSEABLE = Reason(
    "unparseable", "This is not a phone number: type digits, with + and the country code if needed."
)
HAS_LETTERS = Reason(
    "unparseable", "This number contains letters: type it with digits only (0, not the letter O)."
)
UNKNOWN_CALLING_CODE = Reason(
    "unknown_region", "No country uses the calling code after the +: check the country code."
)

_LENGTH_SENTENCES = {
    "too_short": "This number is too short for {place}.",
    "too_long": "This number is too long for {place}.",
    "invalid_length": "This number has the wrong number of digits for {place}.",
    "invalid_number": "This number does not exist in the numbering plan of {place}.",
}
_LENGTH_CODES = {
    ValidationResult.TOO_SHORT: "too_short",
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "too_short",
    ValidationResult.TOO_LONG: "too_long",
    ValidationResult.INVALID_LENGTH: "invalid_length",
}


def length_reason(code: str, place: str) -> Reason:
    """`too_short`, `too_long`, `invalid_length` or `invalid_number` in `France (+33)`."""
    return Reason(code, _LENGTH_SENTENCES[code].format(place=place))


def invalid_reason(number: PhoneNumber, region: str | None) -> Reason:
    """Why a parsed number of type `UNKNOWN` is not a real one; `region` is the one it was
    read in (None for a number with +)."""
    possibility = phonenumbers.is_possible_number_with_reason(number)
    if possibility == ValidationResult.INVALID_COUNTRY_CODE:
        return UNKNOWN_CALLING_CODE
    code = _LENGTH_CODES.get(possibility, "invalid_number")
    return length_reason(code, place(number.country_code or 0, region))


def too_long_for_e164(number: PhoneNumber, e164: str) -> Reason | None:
    """A valid number with more digits than E.164 allows (no SMS network routes it)."""
    if len(e164) <= MAX_E164_LENGTH:
        return None
    return length_reason("too_long", place_of(number))
