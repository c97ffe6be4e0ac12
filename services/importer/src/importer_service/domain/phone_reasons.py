"""Why a phone number can or cannot be invited: a snake_case code and one sentence for people.

Number types that cannot be invited by SMS, and why (phonenumbers' `PhoneNumberType`):

- `FIXED_LINE`: a landline cannot receive SMS (`FIXED_LINE_OR_MOBILE`, used where the plan does
  not tell them apart, as in North America, is accepted);
- `PREMIUM_RATE`, `SHARED_COST`: refused explicitly against SMS pumping (fraud that makes a
  platform send SMS to numbers whose owner is paid for the traffic);
- `PERSONAL_NUMBER`: "follow-me" numbers that forward to another line, often charged at premium
  rates (UK 070) and a classic vector of the same fraud;
- `VOIP`: refused. Many VoIP ranges cannot receive SMS at all (French 09 numbers of internet
  boxes), and the others are virtual numbers that cannot be trusted to reach a person: the
  invitation is an SMS, so a number that may not receive it is not "ready to invite";
- numbers of no country (`+800`, `+808`, `+870`, `+881`-`+883`, `+888`, `+979`: satellite
  phones and global services), whatever their type: terminating SMS there is costly and a known
  target of SMS pumping;
- `TOLL_FREE`, `UAN` (a company's universal access number), `PAGER`, `VOICEMAIL`: they reach a
  service, not a person's phone.
"""

from __future__ import annotations

from typing import NamedTuple

from phonenumbers import PhoneNumberType


class Reason(NamedTuple):
    code: str
    sentence: str


VALID_MOBILE = Reason("valid_mobile", "A valid mobile number: it can be invited by SMS.")
EMPTY = Reason("empty", "The phone number is empty.")
UNPARSEABLE = Reason(
    "unparseable", "This is not a phone number: type digits, with + and the country code if needed."
)
HAS_LETTERS = Reason(
    "unparseable", "This number contains letters: type it with digits only (0, not the letter O)."
)
TOO_LONG_TEXT = Reason("too_long", "This text is too long to be a phone number.")
TOO_SHORT_TEXT = Reason("too_short", "This number is too short to be a phone number.")
HAS_EXTENSION = Reason(
    "has_extension", "Numbers with an extension cannot receive SMS: remove the extension."
)
UNKNOWN_REGION = Reason(
    "unknown_region",
    "No country could be determined for this number: write it with + and its country code.",
)
UNKNOWN_CALLING_CODE = Reason(
    "unknown_region", "No country uses the calling code after the +: check the country code."
)
NON_GEOGRAPHIC = Reason(
    "non_geographic",
    "This is an international network number (satellite or global service): it is refused "
    "to prevent SMS fraud.",
)

_LENGTH_SENTENCES = {
    "too_short": "This number is too short for {place}.",
    "too_long": "This number is too long for {place}.",
    "invalid_length": "This number has the wrong number of digits for {place}.",
    "invalid_number": "This number does not exist in the numbering plan of {place}.",
}

_TYPE_REASONS: dict[int, tuple[str, str]] = {
    PhoneNumberType.FIXED_LINE: (
        "not_mobile",
        "This is a landline number in {place}: a landline cannot receive SMS.",
    ),
    PhoneNumberType.PREMIUM_RATE: (
        "premium_rate",
        "This is a premium-rate number in {place}: it is refused to prevent SMS fraud.",
    ),
    PhoneNumberType.SHARED_COST: (
        "shared_cost",
        "This is a shared-cost number in {place}: it is refused to prevent SMS fraud.",
    ),
    PhoneNumberType.PERSONAL_NUMBER: (
        "personal_number",
        "This is a personal forwarding number in {place}: it is refused to prevent SMS fraud.",
    ),
    PhoneNumberType.VOIP: (
        "voip",
        "This is a VoIP number in {place}: it may not receive SMS, so it cannot be invited.",
    ),
    PhoneNumberType.TOLL_FREE: (
        "toll_free",
        "This is a toll-free number in {place}: toll-free numbers cannot receive SMS.",
    ),
    PhoneNumberType.UAN: (
        "uan",
        "This is a company access number in {place}: it cannot receive SMS.",
    ),
    PhoneNumberType.PAGER: ("pager", "This is a pager number in {place}: it cannot receive SMS."),
    PhoneNumberType.VOICEMAIL: (
        "voicemail",
        "This is a voicemail access number in {place}: it cannot receive SMS.",
    ),
}


def length_reason(code: str, place: str) -> Reason:
    """`too_short`, `too_long`, `invalid_length` or `invalid_number` in `France (+33)`."""
    return Reason(code, _LENGTH_SENTENCES[code].format(place=place))


def type_reason(number_type: int, place: str) -> Reason:
    """Why a valid number of this type cannot be invited (a landline when the type is new)."""
    code, sentence = _TYPE_REASONS.get(number_type, _TYPE_REASONS[PhoneNumberType.FIXED_LINE])
    return Reason(code, sentence.format(place=place))


def unknown_country(country: str) -> Reason:
    return Reason(
        "unknown_region",
        f'The country "{country[:40]}" is not recognised: write the number with + and its '
        "country code.",
    )
