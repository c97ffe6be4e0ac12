"""Each row gets exactly one status, by the documented precedence."""

from typing import Any
from uuid import UUID, uuid4

import pytest
from contacts_events import RowStatus
from importer_service.domain.phones import check_phone
from importer_service.domain.statuses import RowOutcome, classify, count_statuses

pytestmark = pytest.mark.unit

MOBILE = check_phone("+33612345678", "FR")
LANDLINE = check_phone("+33123456789", "FR")
USER = UUID("11111111-1111-1111-1111-111111111111")


def row(check: Any = MOBILE, **overrides: Any) -> RowOutcome:
    facts: dict[str, Any] = {
        "first_row_with_number": 3,
        "row_number": 3,
        "owner_phone": "+447400123456",
        "registered_user": None,
        "is_contact": False,
        "is_invited": False,
    }
    return classify(check, **(facts | overrides))


def test_a_valid_number_nobody_has_is_ready_to_invite() -> None:
    assert row() == RowOutcome(
        RowStatus.READY_TO_INVITE, "ready_to_invite", "Ready to be invited by SMS.", None
    )
    assert row(first_row_with_number=None, owner_phone=None).status is RowStatus.READY_TO_INVITE


def test_a_pending_invitation_makes_it_already_invited() -> None:
    assert row(is_invited=True) == RowOutcome(
        RowStatus.ALREADY_INVITED,
        "already_invited",
        "Already invited; the invitation is pending.",
        None,
    )


def test_a_registered_user_is_added_unless_already_a_contact() -> None:
    assert row(registered_user=USER, is_invited=True) == RowOutcome(
        RowStatus.USER_ADDED, "user_added", "Already a user: added to your contacts.", USER
    )
    assert row(registered_user=USER, is_contact=True) == RowOutcome(
        RowStatus.ALREADY_CONTACT, "already_contact", "Already in your contacts.", USER
    )


def test_the_owners_own_number_is_self() -> None:
    outcome = row(owner_phone="+33612345678", registered_user=USER, is_contact=True)
    assert outcome == RowOutcome(RowStatus.SELF, "self", "This is your own number.", USER)


def test_a_later_row_with_the_same_number_is_a_duplicate_naming_the_first() -> None:
    outcome = row(first_row_with_number=12, row_number=40, owner_phone="+33612345678")
    assert outcome == RowOutcome(
        RowStatus.DUPLICATE_IN_IMPORT, "duplicate_in_import", "Same number as row 12.", None
    )
    assert row(first_row_with_number=12, row_number=12).status is RowStatus.READY_TO_INVITE


def test_an_invalid_number_is_invalid_whatever_else_is_known() -> None:
    outcome = row(
        LANDLINE,
        first_row_with_number=1,
        owner_phone="+33123456789",
        registered_user=USER,
        is_contact=True,
        is_invited=True,
    )
    assert outcome == RowOutcome(RowStatus.INVALID, "not_mobile", LANDLINE.reason, None)
    unparseable = row(check_phone("hello", "FR"))
    assert (unparseable.status, unparseable.reason_code) == (RowStatus.INVALID, "unparseable")


def test_count_statuses_names_every_status() -> None:
    outcomes = [row(), row(), row(is_invited=True), row(LANDLINE), row(registered_user=uuid4())]
    assert count_statuses(outcomes) == {
        RowStatus.INVALID: 1,
        RowStatus.READY_TO_INVITE: 2,
        RowStatus.USER_ADDED: 1,
        RowStatus.ALREADY_CONTACT: 0,
        RowStatus.ALREADY_INVITED: 1,
        RowStatus.DUPLICATE_IN_IMPORT: 0,
        RowStatus.SELF: 0,
    }
    assert sum(count_statuses([]).values()) == 0
