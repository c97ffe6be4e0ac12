"""Who can receive a message: which phone numbers can take an SMS invitation and which texts
are email addresses. Pure rules (no I/O), shared by the importer, the invitations service and
the directory so that all three give the same answer with the same reason code."""

from contacts_destinations.emails import email_address
from contacts_destinations.international import api_code, sms_number
from contacts_destinations.places import place, place_of, region_name
from contacts_destinations.reasons import Reason, Refused
from contacts_destinations.sms import (
    NO_COUNTRY_CALLING_CODES,
    REFUSAL_CODES,
    SMS_TYPES,
    sms_refusal,
    type_refusal,
)

__all__ = [
    "NO_COUNTRY_CALLING_CODES",
    "REFUSAL_CODES",
    "SMS_TYPES",
    "Reason",
    "Refused",
    "api_code",
    "email_address",
    "place",
    "place_of",
    "region_name",
    "sms_number",
    "sms_refusal",
    "type_refusal",
]
