"""Names, phone numbers and email addresses as the directory accepts them."""

from __future__ import annotations

import re

import phonenumbers
from contacts_events.names import clean_name, has_control_characters
from contacts_servicekit.errors import Invalid
from phonenumbers import PhoneNumberType

_MOBILE_CAPABLE = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


def mobile_e164(raw: str, field: str = "phone") -> str:
    """A user's (verified) mobile number in E.164 form; `+` and the country code are required."""
    text = raw.strip()
    if not text.startswith("+"):
        raise Invalid(
            "phone_not_e164", "Give the number in international form, e.g. +447700900123.", field
        )
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        raise Invalid("phone_unparseable", "This is not a phone number.", field) from None
    if number.extension:
        raise Invalid("phone_has_extension", "A mobile number has no extension.", field)
    if any(c.isalpha() for c in text):  # phonenumbers would read O as 0, l as 1, ABC as 2
        raise Invalid("phone_unparseable", "A phone number has digits only, no letters.", field)
    if not phonenumbers.is_valid_number(number):
        raise Invalid(
            "phone_invalid", "This number does not exist in its country's numbering plan.", field
        )
    if phonenumbers.number_type(number) not in _MOBILE_CAPABLE:
        raise Invalid("phone_not_mobile", "A user's number must be a mobile number.", field)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_address(raw: str, field: str = "email") -> str:
    text = raw.strip()
    if len(text) > 254 or not _EMAIL.match(text):
        raise Invalid("email_invalid", "This is not an email address.", field)
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def display_name(raw: str, field: str = "display_name") -> str:
    """A name as the directory keeps it (`contacts_events.names`): invisible and
    direction-changing characters removed, white space collapsed; control characters refused."""
    if has_control_characters(raw):
        raise Invalid("name_control_characters", "The name contains control characters.", field)
    text = clean_name(raw)
    if not text:
        raise Invalid("name_empty", "The name is empty.", field)
    if len(text) > 200:
        raise Invalid("name_too_long", "The name is longer than 200 characters.", field)
    return text
