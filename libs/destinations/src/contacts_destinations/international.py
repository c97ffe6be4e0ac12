"""An international number as an API field holds it (`+33 6 12 34 56 78`), read strictly and
held to the SMS rule: for the invitations service's invitees and the directory's users.

Letters are refused, never guessed: phonenumbers alone would read `O` as `0`, `l` as `1` and
`1-800-FLOWERS` as digits. Lists of numbers typed by people (national forms, other scripts'
digits, a row's country) are read by the importer, which applies the same `sms_refusal`.
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from contacts_destinations.numbering import (
    HAS_LETTERS,
    UNKNOWN_CALLING_CODE,
    UNPARSEABLE,
    invalid_reason,
    too_long_for_e164,
)
from contacts_destinations.reasons import Reason, Refused
from contacts_destinations.sms import HAS_EXTENSION, sms_refusal

# The 422 codes the invitations and directory APIs gave these refusals before the rule was
# shared, kept so that clients do not break; the SMS refusals keep their own codes.
_API_CODES = {
    UNPARSEABLE.code: "phone_unparseable",
    UNKNOWN_CALLING_CODE.code: "phone_unparseable",
    HAS_EXTENSION.code: "phone_has_extension",
    "too_short": "phone_invalid",
    "too_long": "phone_invalid",
    "invalid_length": "phone_invalid",
    "invalid_number": "phone_invalid",
}


def sms_number(text: str) -> str:
    """The E.164 form of `text`, an international number (with `+` and its country code) that
    can take an SMS; else `Refused` with the reason (`unparseable`, `unknown_region`,
    `has_extension`, a length code, `invalid_number`, or an `sms_refusal` code)."""
    try:
        number = phonenumbers.parse(text, None)
    except NumberParseException as error:
        raise Refused(_parse_failure(text, error)) from None
    if number.extension:
        raise Refused(HAS_EXTENSION)
    if any(char.isalpha() for char in text):
        raise Refused(HAS_LETTERS)
    number_type = phonenumbers.number_type(number)
    if number_type == PhoneNumberType.UNKNOWN:
        raise Refused(invalid_reason(number, None))
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    refusal = too_long_for_e164(number, e164) or sms_refusal(number, number_type)
    if refusal is not None:
        raise Refused(refusal)
    return e164


def api_code(reason_code: str) -> str:
    """The API's 422 code for a `sms_number` refusal: `phone_unparseable`, `phone_invalid`,
    `phone_has_extension`, or the SMS refusal's own code (`not_mobile`, `toll_free`, ...)."""
    return _API_CODES.get(reason_code, reason_code)


def _parse_failure(text: str, error: NumberParseException) -> Reason:
    if error.error_type == NumberParseException.INVALID_COUNTRY_CODE and text.strip()[:1] == "+":
        return UNKNOWN_CALLING_CODE
    return UNPARSEABLE
