"""Names, phone numbers and email addresses as the directory accepts them.

A user's own number must be one that can take an SMS by the platform's one rule
(`contacts_destinations`): the same rule the importer uses for "ready to invite" and the
invitations service for what it sends an SMS to. The 422 codes this API had are kept:
`phone_not_e164`, `phone_unparseable`, `phone_invalid`, `phone_has_extension`, and
`phone_not_mobile` for every number type that cannot take an SMS (the message says which:
a landline, VoIP, toll-free, a number of no country, ...). Addresses: `email_invalid`.
Names: `contacts_events.names`.
"""

from __future__ import annotations

from contacts_destinations import REFUSAL_CODES, Refused, api_code, sms_number
from contacts_destinations import email_address as normalised_email
from contacts_destinations.sms import HAS_EXTENSION
from contacts_events.names import clean_name, has_control_characters
from contacts_servicekit import domain_errors as domain


def mobile_e164(raw: str, field: str = "phone") -> str:
    """A user's (verified) mobile number in E.164 form; `+` and the country code are required."""
    text = raw.strip()
    if not text.startswith("+"):
        raise domain.Refused(
            "phone_not_e164", "Give the number in international form, e.g. +447700900123.", field
        )
    try:
        return sms_number(text)
    except Refused as refused:
        raise domain.Refused(_phone_code(refused.code), refused.sentence, field) from None


def email_address(raw: str, field: str = "email") -> str:
    """The normalised address (email-validator, syntax only), or a refusal `email_invalid`."""
    try:
        return normalised_email(raw)
    except Refused as refused:
        raise domain.Refused(refused.code, refused.sentence, field) from None


def _phone_code(reason_code: str) -> str:
    if reason_code in REFUSAL_CODES and reason_code != HAS_EXTENSION.code:
        return "phone_not_mobile"  # the directory's one code for a number that takes no SMS
    return api_code(reason_code)


def display_name(raw: str, field: str = "display_name") -> str:
    """A name as the directory keeps it (`contacts_events.names`): invisible and
    direction-changing characters removed, white space collapsed; control characters refused."""
    if has_control_characters(raw):
        raise domain.Refused(
            "name_control_characters", "The name contains control characters.", field
        )
    text = clean_name(raw)
    if not text:
        raise domain.Refused("name_empty", "The name is empty.", field)
    if len(text) > 200:
        raise domain.Refused("name_too_long", "The name is longer than 200 characters.", field)
    return text
