"""After the statuses: the rows page by page, the error report, inviting the ready rows."""

from __future__ import annotations

import io
import uuid
from collections.abc import AsyncIterator, Iterable, Sequence

import asyncpg
from contacts_events import EventContext, InvitationChannel, InvitationRequested, RowStatus
from contacts_messaging.outbox import Outbox
from contacts_servicekit.errors import Conflict

from importer_service.adapters import refusals
from importer_service.adapters.sources.report import write_csv
from importer_service.domain.model import ImportStatus, row_name
from importer_service.handlers.imports import owned

REPORT_STATUSES = (
    RowStatus.INVALID.value,
    RowStatus.DUPLICATE_IN_IMPORT.value,
    RowStatus.SELF.value,
)
REPORT_HEADER = ("row", "phone", "name", "email", "status", "reason")


async def invite(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext, owner_id: uuid.UUID,
    import_id: uuid.UUID, rows: Sequence[int] | None,
) -> tuple[int, int]:  # fmt: skip
    """ "Invite contact": one InvitationRequested per ready row (all, or those chosen) that was
    not requested before by this owner. Returns (requested now, skipped)."""
    job = await owned(conn, owner_id, import_id)
    if job.status is not ImportStatus.COMPLETED:
        raise Conflict(
            "import_not_completed", "Invitations can be sent once every row has its status."
        )
    ready = await conn.fetch(
        "SELECT row_number, phone_e164, display_name, first_name, last_name FROM import_rows"
        " WHERE import_id = $1 AND status = $2 AND ($3::int[] IS NULL OR row_number = ANY($3::int[]))"
        " ORDER BY row_number",
        import_id, RowStatus.READY_TO_INVITE.value, list(rows) if rows is not None else None,
    )  # fmt: skip
    requests = [(uuid.uuid4(), r) for r in ready]
    inserted = await conn.fetch(
        "INSERT INTO invitation_requests (request_id, inviter_id, phone_e164, import_id, row_number)"
        " SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::int[])"
        " ON CONFLICT (inviter_id, phone_e164) DO NOTHING RETURNING request_id",
        [q for q, _ in requests], [owner_id] * len(requests), [r["phone_e164"] for _, r in requests],
        [import_id] * len(requests), [r["row_number"] for _, r in requests],
    )  # fmt: skip
    fresh = {r["request_id"] for r in inserted}
    events = [
        InvitationRequested(
            import_id=import_id, inviter_id=owner_id, request_id=q, channel=InvitationChannel.SMS,
            phone_e164=r["phone_e164"], display_name=_name(r), row_number=r["row_number"],
        )
        for q, r in requests
        if q in fresh
    ]  # fmt: skip
    await outbox.add(conn, events, context)
    await refusals.forget(conn, import_id, [e.row_number for e in events if e.row_number])
    return len(events), len(requests) - len(events)


async def error_report(
    conn: asyncpg.Connection, owner_id: uuid.UUID, import_id: uuid.UUID
) -> AsyncIterator[str]:
    """The rejected rows as CSV, with reasons; every cell neutralised against formula injection."""
    await owned(conn, owner_id, import_id)
    yield _csv([REPORT_HEADER])
    last = 0
    while True:
        rows = await conn.fetch(
            "SELECT * FROM import_rows WHERE import_id = $1 AND status = ANY($2::text[]) AND row_number > $3"
            " ORDER BY row_number LIMIT 5000",
            import_id, list(REPORT_STATUSES), last,
        )  # fmt: skip
        if not rows:
            return
        last = rows[-1]["row_number"]
        yield _csv(
            (
                str(r["row_number"]),
                r["raw_phone"],
                _name(r) or "",
                r["email"] or "",
                r["status"],
                r["reason"] or "",
            )
            for r in rows
        )


def _csv(rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    write_csv(rows, out)
    return out.getvalue()


def _name(row: asyncpg.Record) -> str | None:
    return row_name(row["display_name"], row["first_name"], row["last_name"])
