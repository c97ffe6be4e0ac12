"""The two per-chunk steps of the pipeline: parse the numbers, then give final statuses.

Both read a chunk of rows, work on it in Python (phonenumbers is the cost), and write it back
with one COPY; lookups for a chunk are a handful of set queries, never one per row.
"""

from __future__ import annotations

import re

import asyncpg
from contacts_events import EventContext, ImportRowValidated, ImportSource, RowStatus
from contacts_messaging.outbox import Outbox

from importer_service.adapters import imports_repository as imports
from importer_service.adapters import projection
from importer_service.adapters.metrics import count_rows_validated
from importer_service.domain.model import Import, row_name
from importer_service.domain.phones import PhoneCheck, check_phone
from importer_service.domain.statuses import RowOutcome, classify

VALID_CODE = "valid_mobile"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


async def parse(conn: asyncpg.Connection, job: Import, first: int, last: int) -> None:
    """Parse every number of the chunk: invalid rows get their final status now, valid ones
    their E.164 form (their status waits for the whole import to be parsed)."""
    outcomes: list[tuple[object, ...]] = []
    for row in await imports.rows_between(conn, job.import_id, first, last):
        check = check_phone(row["raw_phone"], job.default_region, row["country"])
        if check.valid:
            outcomes.append((row["row_number"], check.e164, None, VALID_CODE, None, None))
        else:
            outcomes.append(
                (
                    row["row_number"],
                    None,
                    RowStatus.INVALID.value,
                    check.reason_code,
                    check.reason,
                    None,
                )
            )
    await imports.store_outcomes(conn, job.import_id, outcomes)
    count_rows_validated(len(outcomes))


async def emit(
    conn: asyncpg.Connection,
    outbox: Outbox,
    context: EventContext,
    job: Import,
    first: int,
    last: int,
) -> None:
    """Final statuses of the chunk's valid rows, and one ImportRowValidated per row."""
    rows = await imports.rows_between(conn, job.import_id, first, last)
    phones = [r["phone_e164"] for r in rows if r["phone_e164"]]
    users = await projection.users_by_phone(conn, phones)
    firsts = await projection.first_rows(conn, job.import_id, phones)
    contacts = await projection.contacts_among(
        conn, job.owner_id, list(users.values()), job.import_id
    )
    invited = await projection.invited_among(conn, job.owner_id, phones)
    owner_phone = await projection.owner_phone(conn, job.owner_id)
    outcomes: list[tuple[object, ...]] = []
    events: list[ImportRowValidated] = []
    for row in rows:
        if row["status"] == RowStatus.INVALID.value:
            outcome = RowOutcome(RowStatus.INVALID, row["reason_code"], row["reason"], None)
        else:
            phone = row["phone_e164"]
            outcome = classify(
                PhoneCheck(row["raw_phone"], phone, VALID_CODE, ""),
                first_row_with_number=firsts.get(phone), row_number=row["row_number"],
                owner_phone=owner_phone, registered_user=users.get(phone),
                is_contact=users.get(phone) in contacts, is_invited=phone in invited,
            )  # fmt: skip
            outcomes.append(
                (row["row_number"], phone, outcome.status.value, outcome.reason_code, outcome.reason,
                 outcome.matched_user_id)
            )  # fmt: skip
        events.append(_row_event(job, row, outcome))
    if outcomes:
        await imports.store_outcomes(conn, job.import_id, outcomes)
    await outbox.add(conn, events, context)


def _row_event(job: Import, row: asyncpg.Record, outcome: RowOutcome) -> ImportRowValidated:
    return ImportRowValidated(
        import_id=job.import_id, owner_id=job.owner_id, source=ImportSource(job.source),
        row_number=row["row_number"], raw_phone=row["raw_phone"][:256],
        phone_e164=row["phone_e164"] if outcome.status is not RowStatus.INVALID else None,
        status=outcome.status, reason_code=outcome.reason_code, reason=outcome.reason,
        display_name=_name(row), email=_email(row["email"]), matched_user_id=outcome.matched_user_id,
    )  # fmt: skip


def _name(row: asyncpg.Record) -> str | None:
    return row_name(row["display_name"], row["first_name"], row["last_name"])


def _email(value: str | None) -> str | None:
    """The row's email when it has the shape of one (events carry only well-formed ones)."""
    text = (value or "").strip()
    return text if len(text) <= 254 and _EMAIL.match(text) else None
