"""International numbers as API fields hold them, read strictly and held to the SMS rule."""

from __future__ import annotations

import pytest
from contacts_destinations import Refused, api_code, sms_number

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("+33612345678", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+44 7400 123456", "+447400123456"),
        ("+1 (201) 555-0123", "+12015550123"),
    ],
)
def test_numbers_that_can_take_an_sms_come_back_in_e164(text: str, e164: str) -> None:
    assert sms_number(text) == e164


@pytest.mark.parametrize(
    ("text", "code", "api"),
    [
        ("+41 800 123 456", "toll_free", "toll_free"),
        ("+44 800 123 4567", "toll_free", "toll_free"),
        ("+44 70 1234 5678", "personal_number", "personal_number"),
        ("+44 7640 123456", "pager", "pager"),
        ("+881 6 1234 5678", "non_geographic", "non_geographic"),
        ("+870 301 234 567", "non_geographic", "non_geographic"),
        ("+44 20 7123 4567", "not_mobile", "not_mobile"),
        ("+44 909 012 3456", "premium_rate", "premium_rate"),
        ("+33 6 12 34 56 78 ext. 12", "has_extension", "phone_has_extension"),
        ("+33 6 I2 34 56 78", "unparseable", "phone_unparseable"),
        ("+abc", "unparseable", "phone_unparseable"),
        ("0612345678", "unparseable", "phone_unparseable"),  # no + and no country
        ("+999 123 456", "unknown_region", "phone_unparseable"),
        ("+33 6 12 34", "too_short", "phone_invalid"),
        ("+33 6 12 34 56 78 90", "too_long", "phone_invalid"),
    ],
)
def test_refusals_say_why_with_a_code_and_keep_the_apis_codes(
    text: str, code: str, api: str
) -> None:
    with pytest.raises(Refused) as refused:
        sms_number(text)
    assert refused.value.code == code
    assert refused.value.sentence.endswith(".")
    assert api_code(refused.value.code) == api


def test_a_refused_type_names_its_country() -> None:
    with pytest.raises(Refused, match=r"toll-free number in Switzerland \(\+41\)"):
        sms_number("+41800123456")
