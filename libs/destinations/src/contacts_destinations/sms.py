"""Which phone numbers can take an SMS invitation, and why the others cannot.

The one rule behind a user's own number (directory), the numbers the importer marks "ready to
invite" and the numbers the invitations service sends an SMS to. A valid number can take an
SMS when it has no extension, belongs to a country, and is of type `MOBILE` or
`FIXED_LINE_OR_MOBILE` (used where the plan does not tell them apart, as in North America).
Refused, with the reason's code:

- numbers of no country (`+800`, `+808`, `+870`, `+881`-`+883`, `+888`, `+979`: satellite
  phones and global services), whatever their type: `non_geographic`. Terminating SMS there is
  costly and a known target of SMS pumping (fraud that makes a platform send SMS to numbers
  whose owner is paid for the traffic);
- `FIXED_LINE`: `not_mobile`, a landline cannot receive SMS;
- `PREMIUM_RATE`, `SHARED_COST`: `premium_rate`, `shared_cost`, against SMS pumping;
- `PERSONAL_NUMBER`: `personal_number`, "follow-me" numbers that forward to another line,
  often charged at premium rates (UK 070), a classic vector of the same fraud;
- `VOIP`: `voip`. Many VoIP ranges cannot receive SMS at all (French 09 numbers of internet
  boxes), and the others are virtual numbers that cannot be trusted to reach a person;
- `TOLL_FREE`, `UAN` (a company's universal access number), `PAGER`, `VOICEMAIL`:
  `toll_free`, `uan`, `pager`, `voicemail`; they reach a service, not a person's phone;
- a number with an extension: `has_extension`.

A type phonenumbers adds later is refused as a landline would be, until it is reviewed here.
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberType

from contacts_destinations.places import place_of
from contacts_destinations.reasons import Reason

SMS_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
NO_COUNTRY_CALLING_CODES = frozenset(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS)

HAS_EXTENSION = Reason(
    "has_extension", "Numbers with an extension cannot receive SMS: remove the extension."
)
NON_GEOGRAPHIC = Reason(
    "non_geographic",
    "This is an international network number (satellite or global service): it is refused "
    "to prevent SMS fraud.",
)

_TYPE_REFUSALS: dict[int, tuple[str, str]] = {
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

REFUSAL_CODES = frozenset(
    {HAS_EXTENSION.code, NON_GEOGRAPHIC.code} | {code for code, _ in _TYPE_REFUSALS.values()}
)
"""Every code `sms_refusal` can answer."""


def sms_refusal(number: PhoneNumber, number_type: int) -> Reason | None:
    """Why this valid number cannot take an SMS, or None when it can. `number_type` is
    `phonenumbers.number_type(number)`, which the caller has already computed to know the
    number is valid: the rule itself is an attribute and two set look-ups."""
    if number.extension:
        return HAS_EXTENSION
    if number.country_code in NO_COUNTRY_CALLING_CODES:
        return NON_GEOGRAPHIC
    if number_type in SMS_TYPES:
        return None
    return type_refusal(number_type, place_of(number))


def type_refusal(number_type: int, place: str) -> Reason:
    """Why a number of this type in `place` (`France (+33)`) cannot take an SMS."""
    code, sentence = _TYPE_REFUSALS.get(number_type, _TYPE_REFUSALS[PhoneNumberType.FIXED_LINE])
    return Reason(code, sentence.format(place=place))
