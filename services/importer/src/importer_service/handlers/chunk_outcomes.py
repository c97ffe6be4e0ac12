"""The emit step's work per row, apart from Postgres: each row's final status (as the binary
`COPY` tuples of `import_row_statuses`: status_copy), and its `ImportRowValidated` record. A pure function of plain values, so that the chunk's slices run
in the worker processes (`ChunkWorkers.outcomes`) while the service's own core does the I/O:
this is most of the emit step's Python (bench/IMPORTER.md, "the emit step on the workers").

Most rows are valid numbers the importer knows nothing about (`ready_to_invite`) or invalid
ones: their statuses, names, emails and records are made a column at a time (polars); only the
rows whose numbers the chunk's facts name go through `classify` one by one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

import polars as pl
from contacts_events import RowStatus
from contacts_messaging.bulk import Packed

from importer_service.adapters.row_columns import row_emails, row_names
from importer_service.adapters.row_events import ROW_COLUMNS, RowEventWriter
from importer_service.adapters.row_frames import EMIT, rows_frame
from importer_service.adapters.status_copy import status_tuples
from importer_service.domain.phones import PhoneCheck
from importer_service.domain.statuses import READY_TO_INVITE, RowOutcome, classify

VALID_CODE = "valid_mobile"
RAW_PHONE_MAX = 256


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
    """A slice of a chunk: its stored rows (`row_frames.rows_csv` of `EMIT`) and, in the same
    order, the numbers of the rows that were checked and their phone checks."""

    rows: bytes
    row_numbers: Sequence[int]
    phones: Sequence[str | None]  # E.164 when valid, else None
    reason_codes: Sequence[str]
    reasons: Sequence[str]


@dataclass(frozen=True, slots=True)
class ChunkOutcomes:
    """The slice's statuses (binary `COPY` tuples for `import_row_statuses`: status_copy), its
    records as compressed Kafka record batches (`bulk.pack`: built here, on the worker, for the
    bulk outbox row), its `user_added` rows and how many rows got each status."""

    statuses: bytes
    records: Packed
    user_added: list[tuple[int, UUID]]
    counts: Counter[str]


def chunk_outcomes(check: ChunkCheck, facts: ChunkFacts, writer: RowEventWriter) -> ChunkOutcomes:
    stored = rows_frame(check.rows, EMIT)
    numbers = list(check.row_numbers)
    if not stored.get_column("row_number").equals(pl.Series("row_number", numbers, pl.Int64)):
        raise RuntimeError(f"import {writer.import_id}: the rows are not those that were parsed")
    ready, phones = READY_TO_INVITE, check.phones
    invalid, ready_status, ready_code, ready_reason = (  # read once, not once a row
        RowStatus.INVALID.value, ready.status.value, ready.reason_code, ready.reason
    )  # fmt: skip
    statuses = [invalid if p is None else ready_status for p in phones]
    codes = [c if p is None else ready_code for p, c in _with(phones, check.reason_codes)]
    reasons = [r if p is None else ready_reason for p, r in _with(phones, check.reasons)]
    matched: list[UUID | None] = [None] * len(phones)
    known = facts.known_numbers()
    raws = stored.get_column("raw_phone")
    for at, phone in [(at, p) for at, p in enumerate(phones) if p is not None and p in known]:
        outcome = _classified(numbers[at], raws[at], phone, facts)
        statuses[at] = outcome.status.value
        codes[at], reasons[at] = outcome.reason_code, outcome.reason
        matched[at] = outcome.matched_user_id
    return ChunkOutcomes(
        status_tuples(UUID(writer.import_id), numbers, phones, statuses, codes, reasons, matched),
        writer.records(_row_events(stored, check, statuses, codes, reasons, matched)),
        [(numbers[at], user) for at, user in enumerate(matched)
         if user is not None and statuses[at] == RowStatus.USER_ADDED.value],
        Counter(statuses),
    )  # fmt: skip


def _with(phones: Sequence[str | None], values: Sequence[str]) -> zip[tuple[str | None, str]]:
    return zip(phones, values, strict=True)


def _row_events(
    stored: pl.DataFrame, check: ChunkCheck, statuses: list[str], codes: list[str],
    reasons: list[str], matched: list[UUID | None],
) -> pl.DataFrame:  # fmt: skip
    """The slice's rows as `RowEventWriter.records` takes them."""
    return stored.with_columns(
        pl.col("raw_phone").str.slice(0, RAW_PHONE_MAX),
        pl.Series("phone_e164", list(check.phones), pl.String),
        pl.Series("status", statuses, pl.String),
        pl.Series("reason_code", codes, pl.String),
        pl.Series("reason", reasons, pl.String),
        row_names(stored).alias("display_name"),
        row_emails(stored).alias("email"),
        pl.Series("matched_user_id", [None if u is None else str(u) for u in matched], pl.String),
    ).select(ROW_COLUMNS)


def _classified(row_number: int, raw: str, phone: str, facts: ChunkFacts) -> RowOutcome:
    user = facts.users.get(phone)
    return classify(
        PhoneCheck(raw, phone, VALID_CODE, ""),
        first_row_with_number=facts.first_rows.get(phone), row_number=row_number,
        owner_phone=facts.owner_phone, registered_user=user,
        is_contact=user in facts.contacts, is_invited=phone in facts.invited,
    )  # fmt: skip
