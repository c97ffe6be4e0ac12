"""A user's own number and address follow the platform's one rule (contacts_destinations),
under the directory's own 422 codes."""

from __future__ import annotations

import pytest
from contacts_servicekit.domain_errors import Refused
from directory_service.domain.contact_details import email_address, mobile_e164

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("raw", "e164"),
    [(" +44 7400 123456 ", "+447400123456"), ("+1 201 555 0123", "+12015550123")],
)
def test_a_number_that_can_take_an_sms_comes_back_in_e164(raw: str, e164: str) -> None:
    assert mobile_e164(raw) == e164


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        ("+41 800 123 456", "toll-free number in Switzerland (+41)"),
        ("+44 70 1234 5678", "personal forwarding number in the United Kingdom (+44)"),
        ("+44 7640 123456", "pager number"),
        ("+33 9 12 34 56 78", "VoIP number in France (+33)"),
        ("+881 6 1234 5678", "international network number"),
        ("+44 20 7123 4567", "landline number"),
    ],
)
def test_every_number_that_takes_no_sms_is_not_mobile_and_the_message_says_which(
    raw: str, said: str
) -> None:
    with pytest.raises(Refused) as refused:
        mobile_e164(raw)
    assert (refused.value.code, refused.value.field) == ("phone_not_mobile", "phone")
    assert said in refused.value.message


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("07400123456", "phone_not_e164"),
        ("+abc", "phone_unparseable"),
        ("+44 74OO l23456", "phone_unparseable"),
        ("+4474", "phone_invalid"),
        ("+447400123456 ext. 12", "phone_has_extension"),
    ],
)
def test_the_codes_the_api_had_are_kept(raw: str, code: str) -> None:
    with pytest.raises(Refused) as refused:
        mobile_e164(raw, field="new_phone")
    assert (refused.value.code, refused.value.field) == (code, "new_phone")


def test_an_address_is_normalised_and_anything_else_refused() -> None:
    assert email_address("Grace@Example.COM") == "Grace@example.com"
    for raw in ("not-an-email", "grace@example.com\r\nBcc: all@example.com"):
        with pytest.raises(Refused) as refused:
            email_address(raw)
        assert (refused.value.code, refused.value.field) == ("email_invalid", "email")
