"""The two per-chunk steps of the pipeline: parse the numbers, then give final statuses.

Parsing reads the chunk's numbers, checks them (phonenumbers is the cost; on worker processes
for large chunks, see phone_workers) and stores
the results as one row per chunk (`chunk_checks`). The emit step reads them back with the
rows, classifies, writes every row once with its final status (one COPY and one UPDATE) and
the chunk's `ImportRowValidated` events as one bulk outbox row, and an `ImportRowMatched` per
`user_added` row (for the contacts service, row_matches.py). Lookups for a chunk are a
handful of set queries, never one per row.
"""

from __future__ import annotations

import re
from collections import Counter

import asyncpg
from contacts_events import EventContext, ImportSource, RowStatus
from contacts_messaging.outbox import Outbox

from importer_service.adapters import chunk_checks, projection
from importer_service.adapters import imports_repository as imports
from importer_service.adapters.chunk_checks import ChunkChecks
from importer_service.adapters.metrics import count_rows_validated
from importer_service.adapters.phone_workers import PhoneCheckers
from importer_service.adapters.row_events import RowEvent, RowEventWriter
from importer_service.adapters.row_matches import row_matches
from importer_service.domain.model import Import, row_name
from importer_service.domain.phones import PhoneCheck
from importer_service.domain.statuses import RowOutcome, classify

VALID_CODE = "valid_mobile"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


async def parse(
    conn: asyncpg.Connection, job: Import, first: int, last: int, checkers: PhoneCheckers
) -> int:
    """Parse every number of the chunk; the statuses wait for the whole import to be parsed.
    Returns how many rows the chunk has."""
    rows = await imports.rows_between(
        conn, job.import_id, first, last, "row_number, raw_phone, country, reason_code, reason"
    )
    phones, codes, reasons = await checkers.check(
        [r["raw_phone"] for r in rows], job.default_region, [r["country"] for r in rows]
    )
    for index, row in enumerate(rows):
        if row["reason_code"] is not None:  # a fault found while reading it (a cell too long)
            phones[index], codes[index], reasons[index] = None, row["reason_code"], row["reason"]
    checks = ChunkChecks([r["row_number"] for r in rows], phones, codes, reasons)
    await chunk_checks.store(conn, job.import_id, first, checks)
    count_rows_validated(len(rows))
    return len(rows)


async def emit(
    conn: asyncpg.Connection,
    outbox: Outbox,
    context: EventContext,
    job: Import,
    first: int,
    last: int,
) -> Counter[str]:
    """Final statuses of the chunk's rows, one ImportRowValidated per row and one
    ImportRowMatched per `user_added` row; how many rows got each status."""
    rows = await imports.rows_between(
        conn, job.import_id, first, last,
        "row_number, raw_phone, display_name, first_name, last_name, email",
    )  # fmt: skip
    checks = await chunk_checks.load(conn, job.import_id, first)
    if checks is None or checks.row_numbers != [r["row_number"] for r in rows]:
        raise RuntimeError(f"import {job.import_id}: rows {first}..{last} were not parsed")
    phones = [p for p in checks.phones if p is not None]
    users = await projection.users_by_phone(conn, phones)
    firsts = await chunk_checks.first_rows(conn, job.import_id, phones)
    contacts = await projection.contacts_among(
        conn, job.owner_id, list(users.values()), job.import_id
    )
    invited = await projection.invited_among(conn, job.owner_id, phones)
    owner_phone = await projection.owner_phone(conn, job.owner_id)
    source = ImportSource(job.source)
    writer = RowEventWriter(job.import_id, job.owner_id, source, context, outbox.source)
    outcomes: list[tuple[object, ...]] = []
    events: list[RowEvent] = []
    for row, phone, code, reason in zip(
        rows, checks.phones, checks.reason_codes, checks.reasons, strict=True
    ):
        if phone is None:
            outcome = RowOutcome(RowStatus.INVALID, code, reason, None)
        else:
            user = users.get(phone)
            outcome = classify(
                PhoneCheck(row["raw_phone"], phone, VALID_CODE, ""),
                first_row_with_number=firsts.get(phone), row_number=row["row_number"],
                owner_phone=owner_phone, registered_user=user,
                is_contact=user in contacts, is_invited=phone in invited,
            )  # fmt: skip
        outcomes.append(
            (row["row_number"], phone, outcome.status.value, outcome.reason_code, outcome.reason,
             outcome.matched_user_id)
        )  # fmt: skip
        events.append(_row_event(row, phone, outcome))
    await imports.store_outcomes(conn, job.import_id, outcomes)
    await writer.write(conn, outbox, writer.records(events))
    await outbox.add(conn, row_matches(job.import_id, job.owner_id, source, events), context)
    return Counter(event.status.value for event in events)


def _row_event(row: asyncpg.Record, phone: str | None, outcome: RowOutcome) -> RowEvent:
    return RowEvent(
        row_number=row["row_number"], raw_phone=row["raw_phone"][:256],
        phone_e164=phone if outcome.status is not RowStatus.INVALID else None,
        status=outcome.status, reason_code=outcome.reason_code, reason=outcome.reason,
        display_name=row_name(row["display_name"], row["first_name"], row["last_name"]),
        email=_email(row["email"]), matched_user_id=outcome.matched_user_id,
    )  # fmt: skip


def _email(value: str | None) -> str | None:
    """The row's email when it has the shape of one (events carry only well-formed ones)."""
    text = (value or "").strip()
    return text if len(text) <= 254 and _EMAIL.match(text) else None
