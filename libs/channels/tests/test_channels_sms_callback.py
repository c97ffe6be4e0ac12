"""The SMS provider's delivery-status callbacks: parsed fields and checked signatures."""

from __future__ import annotations

import pytest
from contacts_channels import (
    InvalidStatusCallback,
    is_valid_signature,
    parse_status_callback,
)

pytestmark = pytest.mark.unit

SID = "SM0123456789abcdef0123456789abcdef"


def test_a_delivered_callback_gives_the_message_id_and_status() -> None:
    form = {"MessageSid": SID, "MessageStatus": "delivered", "AccountSid": "AC1", "To": "+336"}
    update = parse_status_callback(form)
    assert update == (SID, "delivered", None)
    assert update.provider_message_id == SID


def test_a_failed_callback_gives_its_error_code() -> None:
    form = {"MessageSid": SID, "MessageStatus": "undelivered", "ErrorCode": "30003"}
    assert parse_status_callback(form) == (SID, "undelivered", "30003")


def test_the_older_sms_field_names_are_understood() -> None:
    form = {"SmsSid": SID, "SmsStatus": "Sent", "ErrorCode": ""}
    assert parse_status_callback(form) == (SID, "sent", None)


@pytest.mark.parametrize(
    ("form", "names"),
    [
        ({"MessageStatus": "delivered"}, "MessageSid"),
        ({"MessageSid": SID}, "MessageStatus"),
        ({"MessageSid": "SM1; DROP TABLE", "MessageStatus": "sent"}, "MessageSid"),
        ({"MessageSid": SID, "MessageStatus": "sent", "ErrorCode": "x" * 40}, "ErrorCode"),
    ],
)
def test_an_unusable_callback_is_refused_naming_the_field(form: dict[str, str], names: str) -> None:
    with pytest.raises(InvalidStatusCallback, match=names):
        parse_status_callback(form)


# Twilio's published request-validation example (auth token "12345").
TWILIO_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
TWILIO_FORM = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675309",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
}
TWILIO_SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_the_published_signature_example_is_valid() -> None:
    assert is_valid_signature(TWILIO_URL, TWILIO_FORM, TWILIO_SIGNATURE, "12345")


@pytest.mark.parametrize(
    ("url", "form", "signature", "token"),
    [
        (TWILIO_URL, {**TWILIO_FORM, "Digits": "9999"}, TWILIO_SIGNATURE, "12345"),
        (TWILIO_URL + "&x=1", TWILIO_FORM, TWILIO_SIGNATURE, "12345"),
        (TWILIO_URL, TWILIO_FORM, TWILIO_SIGNATURE, "54321"),
        (TWILIO_URL, TWILIO_FORM, "", "12345"),
        (TWILIO_URL, TWILIO_FORM, None, "12345"),
    ],
)
def test_a_tampered_or_missing_signature_is_invalid(
    url: str, form: dict[str, str], signature: str | None, token: str
) -> None:
    assert not is_valid_signature(url, form, signature, token)
