"""The final status of one imported row, from its phone check and what the importer knows.

Exactly one status per row; the first rule that applies wins:

1. `invalid`: the number cannot be invited (the phone check's own code and sentence);
2. `duplicate_in_import`: an earlier row of this import has the same E.164 number
   (`Same number as row 12.`), so that row alone carries the status of the number;
3. `self`: the owner's own number;
4. the number belongs to a registered user: `already_contact` when that user is already in the
   owner's contacts, else `user_added` (the contacts service adds them);
5. nobody has the number: `already_invited` when the owner's invitation to it is pending, else
   `ready_to_invite`.

A duplicate comes before `self` and the rest so that each number is acted on once: the first
row with it decides, the later ones only point at it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from contacts_events import RowStatus

from importer_service.domain.phones import PhoneCheck


@dataclass(frozen=True, slots=True)
class RowOutcome:
    status: RowStatus
    reason_code: str
    reason: str
    matched_user_id: UUID | None = None


SELF = RowOutcome(RowStatus.SELF, "self", "This is your own number.")
ALREADY_INVITED = RowOutcome(
    RowStatus.ALREADY_INVITED, "already_invited", "Already invited; the invitation is pending."
)
READY_TO_INVITE = RowOutcome(
    RowStatus.READY_TO_INVITE, "ready_to_invite", "Ready to be invited by SMS."
)


def classify(
    check: PhoneCheck,
    *,
    first_row_with_number: int | None,
    row_number: int,
    owner_phone: str | None,
    registered_user: UUID | None,
    is_contact: bool,
    is_invited: bool,
) -> RowOutcome:
    """The row's status (see the module's precedence). `first_row_with_number` is the first row
    of this import with the same E.164; `registered_user` the user owning the number (for the
    owner's own number, the owner); `is_contact` whether that user is already a contact of the
    owner; `is_invited` whether the owner's invitation to the number is pending."""
    if not check.valid:
        return RowOutcome(RowStatus.INVALID, check.reason_code, check.reason)
    if first_row_with_number is not None and first_row_with_number < row_number:
        return duplicate_of(first_row_with_number)
    if owner_phone is not None and check.e164 == owner_phone:
        return RowOutcome(SELF.status, SELF.reason_code, SELF.reason, registered_user)
    if registered_user is not None:
        return _registered(registered_user, is_contact=is_contact)
    return ALREADY_INVITED if is_invited else READY_TO_INVITE


def duplicate_of(first_row: int) -> RowOutcome:
    return RowOutcome(
        RowStatus.DUPLICATE_IN_IMPORT, "duplicate_in_import", f"Same number as row {first_row}."
    )


def count_statuses(outcomes: Iterable[RowOutcome]) -> dict[RowStatus, int]:
    """How many rows ended in each status, every status present (zero when none)."""
    counted = Counter(outcome.status for outcome in outcomes)
    return {status: counted[status] for status in RowStatus}


def _registered(user: UUID, *, is_contact: bool) -> RowOutcome:
    if is_contact:
        return RowOutcome(
            RowStatus.ALREADY_CONTACT, "already_contact", "Already in your contacts.", user
        )
    return RowOutcome(
        RowStatus.USER_ADDED, "user_added", "Already a user: added to your contacts.", user
    )
