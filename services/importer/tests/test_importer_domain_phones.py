"""Each number gets one reason: invitable mobiles, and every way a number is refused."""

import pytest
from importer_service.domain.phones import PhoneCheck, check_phone

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("+33612345678", "FR", "+33612345678"),
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("+33 (0)6 12 34 56 78", "FR", "+33612345678"),
        ("+447400123456", "FR", "+447400123456"),
        ("07400 123456", "GB", "+447400123456"),
        ("0151 12345678", "DE", "+4915112345678"),
        ("(202) 555-0123", "US", "+12025550123"),  # FIXED_LINE_OR_MOBILE is accepted
    ],
)
def test_valid_mobiles_get_their_e164_form(raw: str, region: str, e164: str) -> None:
    check = check_phone(raw, region)
    assert (check.valid, check.e164, check.reason_code) == (True, e164, "valid_mobile")
    assert check.raw == raw


@pytest.mark.parametrize(
    ("raw", "code", "reason"),
    [
        (
            "+33123456789",
            "not_mobile",
            "This is a landline number in France (+33): a landline cannot receive SMS.",
        ),
        (
            "+442071234567",
            "not_mobile",
            "This is a landline number in the United Kingdom (+44): a landline cannot receive SMS.",
        ),
        (
            "+449098765432",
            "premium_rate",
            "This is a premium-rate number in the United Kingdom (+44): it is refused to prevent SMS fraud.",
        ),
        (
            "+19002345678",
            "premium_rate",
            "This is a premium-rate number in the United States (+1): it is refused to prevent SMS fraud.",
        ),
        (
            "+33810123456",
            "shared_cost",
            "This is a shared-cost number in France (+33): it is refused to prevent SMS fraud.",
        ),
        (
            "+18002345678",
            "toll_free",
            "This is a toll-free number in the United States (+1): toll-free numbers cannot receive SMS.",
        ),
        (
            "+33800123456",
            "toll_free",
            "This is a toll-free number in France (+33): toll-free numbers cannot receive SMS.",
        ),
        (
            "+33912345678",
            "voip",
            "This is a VoIP number in France (+33): it may not receive SMS, so it cannot be invited.",
        ),
        (
            "+445612345678",
            "voip",
            "This is a VoIP number in the United Kingdom (+44): it may not receive SMS, so it cannot be invited.",
        ),
        (
            "+447012345678",
            "personal_number",
            "This is a personal forwarding number in the United Kingdom (+44): it is refused to prevent SMS fraud.",
        ),
        (
            "+447623456789",
            "pager",
            "This is a pager number in the United Kingdom (+44): it cannot receive SMS.",
        ),
        (
            "+443001234567",
            "uan",
            "This is a company access number in the United Kingdom (+44): it cannot receive SMS.",
        ),
        (
            "+41860123456789",
            "voicemail",
            "This is a voicemail access number in Switzerland (+41): it cannot receive SMS.",
        ),
        (
            "+881612345678",
            "non_geographic",
            "This is an international network number (satellite or global service): it is refused to prevent SMS fraud.",
        ),
        (
            "+33 6 12 34 56 78 ext. 12",
            "has_extension",
            "Numbers with an extension cannot receive SMS: remove the extension.",
        ),
    ],
)
def test_real_numbers_that_cannot_receive_an_invitation_are_refused_by_type(
    raw: str, code: str, reason: str
) -> None:
    check = check_phone(raw, "FR")
    assert (check.valid, check.reason_code, check.reason) == (False, code, reason)
    assert check.e164 is not None  # a real number, shown in the error report


@pytest.mark.parametrize(
    ("raw", "code", "reason"),
    [
        ("", "empty", "The phone number is empty."),
        (" \t ", "empty", "The phone number is empty."),
        (
            "hello",
            "unparseable",
            "This number contains letters: type it with digits only (0, not the letter O).",
        ),
        (
            "--",
            "unparseable",
            "This is not a phone number: type digits, with + and the country code if needed.",
        ),
        ("0612", "too_short", "This number is too short for France (+33)."),
        ("+3361234567", "too_short", "This number is too short for France (+33)."),
        ("+1 555 0123", "too_short", "This number is too short for the United States (+1)."),
        ("06123456789", "too_long", "This number is too long for France (+33)."),
        ("12345678901234567890", "too_long", "This number is too long for France (+33)."),
        ("1" * 101, "too_long", "This text is too long to be a phone number."),
        (
            "+4920100000000000",
            "too_long",
            "This number is too long for Germany (+49).",
        ),  # valid in DE, beyond E.164's 15 digits
        (
            "+417912345678",
            "invalid_length",
            "This number has the wrong number of digits for Switzerland (+41).",
        ),
        (
            "061234567",
            "invalid_number",
            "This number does not exist in the numbering plan of France (+33).",
        ),
        (
            "+999123456",
            "unknown_region",
            "No country uses the calling code after the +: check the country code.",
        ),
    ],
)
def test_numbers_that_do_not_exist_are_invalid_with_their_reason(
    raw: str, code: str, reason: str
) -> None:
    assert check_phone(raw, "FR") == PhoneCheck(raw, None, code, reason)
