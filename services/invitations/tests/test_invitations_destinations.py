"""Destination countries: the region of a number, an admin's list, the refusal's words."""

from __future__ import annotations

import pytest
from contacts_servicekit.domain_errors import Missing, Refused
from invitations_service.domain.destinations import countries_from, country_refusal, region_of
from invitations_service.domain.policy import LimitReached, refusal_code

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("phone", "region"),
    [("+33612345678", "FR"), ("+12025550123", "US"), ("+447400123456", "GB"),
     ("+447781123456", "GG"), ("+4915123456789", "DE")],
)  # fmt: skip
def test_the_region_is_the_numbers_own_country(phone: str, region: str) -> None:
    assert region_of(phone) == region


def test_an_admins_list_is_upper_cased_sorted_and_each_country_once() -> None:
    assert countries_from(["fr", " GB", "FR", "de"]) == ["DE", "FR", "GB"]
    assert countries_from([]) == []


def test_an_unknown_country_is_refused_naming_the_field_and_the_code() -> None:
    with pytest.raises(Refused) as refused:
        countries_from(["FR", "XX"])
    assert (refused.value.code, refused.value.field) == ("unknown_country", "countries")
    assert "'XX'" in refused.value.message


def test_a_refusal_by_the_members_countries_names_them_and_the_numbers_country() -> None:
    refusal = country_refusal("US", ["BE", "FR"], explicit=False)
    assert isinstance(refusal, Refused)
    assert (refusal.code, refusal.field) == ("country_not_allowed", "phone")
    assert "countries its members are in (BE, FR)" in refusal.message
    assert "this number is in US (+1)" in refusal.message
    assert "An administrator can allow more countries" in refusal.message


def test_a_refusal_by_an_explicit_list_says_the_admins_chose_it() -> None:
    assert "administrators allow SMS invitations only to numbers in DE" in (
        country_refusal("FR", ["DE"], explicit=True).message
    )
    assert "allow no SMS invitations" in country_refusal("FR", [], explicit=True).message


def test_a_long_list_is_cut_to_twenty_countries_and_a_count() -> None:
    many = [f"C{i:02d}" for i in range(45)]
    message = country_refusal("FR", many, explicit=True).message
    assert "C19 and 25 more" in message
    assert "C20" not in message
    assert len(message) < 500  # fits InvitationRefused.reason


def test_the_refusal_code_of_a_limit_is_the_limit_and_else_the_errors_code() -> None:
    assert refusal_code(LimitReached("inviter_daily_cap", "At most 2 a day.", 60, 2, 86400)) == (
        "inviter_daily_cap"
    )
    assert (
        LimitReached("inviter_daily_cap", "At most 2 a day.", 60, 2, 86400).code == "rate_limited"
    )
    assert refusal_code(Refused("premium_rate", "No.", "phone")) == "premium_rate"
    assert refusal_code(Missing("invitation_not_found", "None.")) == "invitation_not_found"
