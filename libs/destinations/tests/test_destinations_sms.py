"""The SMS rule: which number types and calling codes can take an invitation SMS."""

from __future__ import annotations

import phonenumbers
import pytest
from contacts_destinations import REFUSAL_CODES, SMS_TYPES, sms_refusal, type_refusal
from phonenumbers import PhoneNumberType

pytestmark = pytest.mark.unit

_KNOWN_TYPES = [
    value for name, value in vars(PhoneNumberType).items() if name.isupper() and name != "UNKNOWN"
]


def _parsed(e164: str) -> tuple[phonenumbers.PhoneNumber, int]:
    number = phonenumbers.parse(e164, None)
    return number, phonenumbers.number_type(number)


def test_only_mobiles_and_numbers_that_may_be_mobiles_take_an_sms() -> None:
    assert {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE} == SMS_TYPES


@pytest.mark.parametrize("number_type", [t for t in _KNOWN_TYPES if t not in SMS_TYPES])
def test_every_other_type_has_its_own_code_and_a_sentence_naming_the_place(
    number_type: int,
) -> None:
    reason = type_refusal(number_type, "France (+33)")
    assert reason.code in REFUSAL_CODES
    assert "France (+33)" in reason.sentence


def test_no_two_refused_types_share_a_code() -> None:
    refused = [t for t in _KNOWN_TYPES if t not in SMS_TYPES]
    codes = {type_refusal(t, "x").code for t in refused}
    assert len(codes) == len(refused)


def test_a_type_phonenumbers_adds_later_is_refused_like_a_landline() -> None:
    assert type_refusal(42, "France (+33)").code == "not_mobile"


@pytest.mark.parametrize(
    ("e164", "code"),
    [
        ("+33612345678", None),
        ("+12015550123", None),  # FIXED_LINE_OR_MOBILE
        ("+33123456789", "not_mobile"),
        ("+41800123456", "toll_free"),
        ("+448001234567", "toll_free"),
        ("+447012345678", "personal_number"),
        ("+447640123456", "pager"),
        ("+445512345678", "uan"),
        ("+33912345678", "voip"),
        ("+449012345678", "premium_rate"),
        ("+41840123456", "shared_cost"),
        ("+41860123456789", "voicemail"),
    ],
)
def test_valid_numbers_are_judged_by_their_type(e164: str, code: str | None) -> None:
    refusal = sms_refusal(*_parsed(e164))
    assert (refusal.code if refusal else None) == code


@pytest.mark.parametrize("e164", ["+881612345678", "+870301234567", "+8823421234", "+80012345678"])
def test_numbers_of_no_country_are_refused_whatever_their_type(e164: str) -> None:
    number, number_type = _parsed(e164)
    refusal = sms_refusal(number, number_type)
    assert refusal is not None and refusal.code == "non_geographic"
    assert refusal.code == sms_refusal(number, PhoneNumberType.MOBILE).code  # type aside


def test_a_number_with_an_extension_is_refused() -> None:
    number, number_type = _parsed("+33612345678;ext=12")
    refusal = sms_refusal(number, number_type)
    assert refusal is not None and refusal.code == "has_extension"
