"""The emit step's work per row, apart from Postgres: each row's final status, and its
`ImportRowValidated` record. A pure function of plain values, so that the chunk's slices run
in the worker processes (`ChunkWorkers.outcomes`) while the service's own core does the I/O:
this is most of the emit step's Python (bench/IMPORTER.md, "the emit step on the workers").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from contacts_events import RowStatus

from importer_service.adapters.row_events import RowEvent, RowEventWriter
from importer_service.domain.model import row_name
from importer_service.domain.phones import PhoneCheck
from importer_service.domain.statuses import READY_TO_INVITE, RowOutcome, classify

VALID_CODE = "valid_mobile"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

StoredRow = tuple[int, str, str | None, str | None, str | None, str | None]
"""(row_number, raw_phone, display_name, first_name, last_name, email), as stored."""
Outcome = tuple[int, str | None, str, str, str, UUID | None]
"""(row_number, phone_e164, status, reason_code, reason, matched_user_id): a row's status."""


@dataclass(frozen=True, slots=True)
class ChunkFacts:
    """What the importer knows about a chunk's numbers (looked up once for the chunk)."""

    users: dict[str, UUID]  # registered user of each number that has one
    first_rows: dict[str, int]  # first row of the import with each number several rows have
    contacts: frozenset[UUID]  # those users already in the owner's contacts
    invited: frozenset[str]  # numbers the owner's invitation to is pending
    owner_phone: str | None

    def known_numbers(self) -> frozenset[str]:
        """The numbers these facts say anything about: any other valid number of the chunk is
        ready to invite (`classify`'s last answer), with no need to ask."""
        owner = {self.owner_phone} if self.owner_phone else set()
        return frozenset(self.users.keys() | self.first_rows.keys() | self.invited | owner)


@dataclass(frozen=True, slots=True)
class ChunkCheck:
    """A slice of a chunk: its stored rows and, in the same order, their phone checks."""

    rows: Sequence[StoredRow]
    phones: Sequence[str | None]  # E.164 when valid, else None
    reason_codes: Sequence[str]
    reasons: Sequence[str]


@dataclass(frozen=True, slots=True)
class ChunkOutcomes:
    """The slice's statuses (for `import_row_statuses`), its framed records (for the bulk
    outbox row, joined), its `user_added` rows and how many rows got each status."""

    outcomes: list[Outcome]
    records: bytes
    user_added: list[tuple[int, UUID]]
    counts: Counter[str]


def chunk_outcomes(check: ChunkCheck, facts: ChunkFacts, writer: RowEventWriter) -> ChunkOutcomes:
    outcomes: list[Outcome] = []
    events: list[RowEvent] = []
    known = facts.known_numbers()
    for row, phone, code, reason in zip(
        check.rows, check.phones, check.reason_codes, check.reasons, strict=True
    ):
        if phone is None:
            outcome = RowOutcome(RowStatus.INVALID, code, reason, None)
        elif phone in known:
            outcome = _classified(row, phone, facts)
        else:  # most rows: what `classify` says of a valid number nothing is known about
            outcome = READY_TO_INVITE
        outcomes.append(
            (row[0], phone, outcome.status.value, outcome.reason_code, outcome.reason,
             outcome.matched_user_id)
        )  # fmt: skip
        events.append(_row_event(row, phone, outcome))
    return ChunkOutcomes(
        outcomes,
        b"".join(writer.records(events)),
        [(e.row_number, e.matched_user_id) for e in events
         if e.status is RowStatus.USER_ADDED and e.matched_user_id is not None],
        Counter(outcome[2] for outcome in outcomes),
    )  # fmt: skip


def _classified(row: StoredRow, phone: str, facts: ChunkFacts) -> RowOutcome:
    user = facts.users.get(phone)
    return classify(
        PhoneCheck(row[1], phone, VALID_CODE, ""),
        first_row_with_number=facts.first_rows.get(phone), row_number=row[0],
        owner_phone=facts.owner_phone, registered_user=user,
        is_contact=user in facts.contacts, is_invited=phone in facts.invited,
    )  # fmt: skip


def _row_event(row: StoredRow, phone: str | None, outcome: RowOutcome) -> RowEvent:
    number, raw_phone, display_name, first_name, last_name, email = row
    return RowEvent(
        row_number=number, raw_phone=raw_phone[:256],
        phone_e164=phone if outcome.status is not RowStatus.INVALID else None,
        status=outcome.status, reason_code=outcome.reason_code, reason=outcome.reason,
        display_name=row_name(display_name, first_name, last_name),
        email=_email(email), matched_user_id=outcome.matched_user_id,
    )  # fmt: skip


def _email(value: str | None) -> str | None:
    """The row's email when it has the shape of one (events carry only well-formed ones)."""
    text = (value or "").strip()
    return text if len(text) <= 254 and _EMAIL.match(text) else None
