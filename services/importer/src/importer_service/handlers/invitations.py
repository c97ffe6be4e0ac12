"""Inviting an import's ready rows: by "Invite contact", or by the pipeline itself when the
import was uploaded with `invite=true` (at its completion, in the completing step's
transaction: once, whatever is redelivered or retried)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg
from contacts_events import EventContext, InvitationChannel, InvitationRequested, RowStatus
from contacts_messaging.outbox import Outbox

from importer_service.adapters import refusals
from importer_service.domain.model import Import, row_name

_READY = (
    "SELECT row_number, phone_e164, display_name, first_name, last_name FROM import_rows"
    " WHERE import_id = $1 AND status = $2 AND ($3::int[] IS NULL OR row_number = ANY($3::int[]))"
    " ORDER BY row_number"
)
_REQUEST = (
    "INSERT INTO invitation_requests (request_id, inviter_id, phone_e164, import_id, row_number)"
    " SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::int[])"
    " ON CONFLICT (inviter_id, phone_e164) DO NOTHING RETURNING request_id"
)


async def request_invitations(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext, job: Import,
    rows: Sequence[int] | None,
) -> tuple[int, int]:  # fmt: skip
    """One InvitationRequested per ready row of the completed `job` (all, or the `rows`
    chosen) whose number its owner did not ask to invite before. Returns (requested, skipped)."""
    chosen = list(rows) if rows is not None else None
    ready = await conn.fetch(_READY, job.import_id, RowStatus.READY_TO_INVITE.value, chosen)
    requests = [(uuid.uuid4(), r) for r in ready]
    inserted = await conn.fetch(
        _REQUEST, [q for q, _ in requests], [job.owner_id] * len(requests),
        [r["phone_e164"] for _, r in requests], [job.import_id] * len(requests),
        [r["row_number"] for _, r in requests],
    )  # fmt: skip
    fresh = {r["request_id"] for r in inserted}
    events = [
        InvitationRequested(
            import_id=job.import_id, inviter_id=job.owner_id, request_id=q,
            channel=InvitationChannel.SMS, phone_e164=r["phone_e164"], row_number=r["row_number"],
            display_name=row_name(r["display_name"], r["first_name"], r["last_name"]),
        )
        for q, r in requests
        if q in fresh
    ]  # fmt: skip
    await outbox.add(conn, events, context)
    await refusals.forget(conn, job.import_id, [e.row_number for e in events if e.row_number])
    return len(events), len(requests) - len(events)
