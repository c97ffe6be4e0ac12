"""Checking many numbers, the yardstick rate, and properties that hold for any text."""

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st
from importer_service.domain.phones import (
    PhoneCheck,
    check_phone,
    check_phones,
    raw_validation_rate,
)

pytestmark = pytest.mark.unit

REGIONS = ["FR", "GB", "US", "DE", "JP", "BR", "IN", "ZZ", "fr", ""]
ROW_COUNTRIES = [None, "", "FR", "France", "UK", "Narnia", "+33", "DEU"]
phone_like = st.text(alphabet="0123456789 +-.()#x\u0660\u0666\uff13", max_size=30)
mobile_like = st.builds(
    lambda prefix, digits: prefix + digits,
    st.sampled_from(["+336", "06", "+447", "07", "00336", "+1", "+49"]),
    st.text(alphabet="0123456789", min_size=6, max_size=11),
)


@given(
    st.one_of(st.text(), phone_like, mobile_like),
    st.sampled_from(REGIONS),
    st.one_of(st.sampled_from(ROW_COUNTRIES), st.text(max_size=10)),
)
def test_check_phone_never_raises_and_a_valid_e164_checks_valid_again(
    raw: str, region: str, row_region: str | None
) -> None:
    check = check_phone(raw, region, row_region)
    assert isinstance(check, PhoneCheck)
    assert check.raw == raw
    assert check.reason_code.isidentifier()
    assert check.reason_code.islower()
    assert check.reason.endswith(".")
    if check.valid:
        assert check.e164 is not None
        again = check_phone(check.e164, "ZZ")
        assert (again.valid, again.e164) == (True, check.e164)
        assert phonenumbers.is_valid_number(phonenumbers.parse(check.e164))


def test_check_phones_checks_each_number_in_its_row_country() -> None:
    checks = check_phones(["0612345678", "07400 123456", "+33123456789"], "FR", [None, "GB", "FR"])
    assert [c.e164 for c in checks] == ["+33612345678", "+447400123456", "+33123456789"]
    assert [c.reason_code for c in checks] == ["valid_mobile", "valid_mobile", "not_mobile"]


def test_check_phones_without_row_countries_uses_the_default_region() -> None:
    assert [c.valid for c in check_phones(["0612345678", "0123456789"], "FR")] == [True, False]
    assert check_phones([], "FR") == []


def test_check_phones_needs_one_row_country_per_number() -> None:
    with pytest.raises(ValueError, match="shorter"):
        check_phones(["0612345678", "0612345679"], "FR", ["FR"])


def test_raw_validation_rate_is_numbers_per_second() -> None:
    numbers = ["+33612345678", "07400123456", "not a number", "0612"] * 50
    assert raw_validation_rate(numbers, "GB") > 0
    with pytest.raises(ValueError, match="at least one"):
        raw_validation_rate([], "GB")
