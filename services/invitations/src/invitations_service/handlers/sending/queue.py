"""The queue of InvitationRequested events waiting to be handled (`invitation_requests`)."""

from __future__ import annotations

from dataclasses import fields
from uuid import UUID

import asyncpg
from contacts_events import InvitationRequested
from contacts_events.envelope import CloudEvent

from invitations_service.domain.invitation import StagedRequest

_STAGE = """
INSERT INTO invitation_requests (request_id, event_id, correlation_id, tenant, actor, inviter_id,
    import_id, row_number, channel, phone_e164, email, display_name)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (request_id) DO NOTHING
"""

_STAGE_MANY = """
INSERT INTO invitation_requests (request_id, event_id, correlation_id, tenant, actor, inviter_id,
    import_id, row_number, channel, phone_e164, email, display_name)
SELECT request_id, event_id, correlation_id, tenant, actor, inviter_id, import_id, row_number,
    channel, phone_e164, email, display_name
FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::uuid[],
    $8::int[], $9::text[], $10::text[], $11::text[], $12::text[]) WITH ORDINALITY
    AS r(request_id, event_id, correlation_id, tenant, actor, inviter_id, import_id, row_number,
        channel, phone_e164, email, display_name, n)
ORDER BY n  -- positions in the events' order
ON CONFLICT (request_id) DO NOTHING
"""

_TAKE = """
DELETE FROM invitation_requests WHERE position IN (
    SELECT position FROM invitation_requests WHERE failed_at IS NULL
    ORDER BY position LIMIT $1 FOR UPDATE SKIP LOCKED
) RETURNING *
"""


async def stage(conn: asyncpg.Connection, event: CloudEvent, request: InvitationRequested) -> None:
    """Queue the request (a request id already waiting is not queued twice)."""
    await conn.execute(_STAGE, *_values(event, request))


async def stage_many(
    conn: asyncpg.Connection, requests: list[tuple[CloudEvent, InvitationRequested]]
) -> None:
    """Queue many requests with one statement, in their order (as `stage` one at a time)."""
    columns = zip(*(_values(event, request) for event, request in requests), strict=True)
    await conn.execute(_STAGE_MANY, *(list(column) for column in columns))


def _values(event: CloudEvent, request: InvitationRequested) -> tuple[object, ...]:
    return (
        request.request_id, event.id, event.correlationid, event.tenant, event.actor,
        request.inviter_id, request.import_id, request.row_number, request.channel.value,
        request.phone_e164, request.email, request.display_name,
    )  # fmt: skip


async def take(conn: asyncpg.Connection, limit: int) -> list[StagedRequest]:
    """The first `limit` waiting requests, in order, removed from the queue (for good when the
    caller's transaction commits; back in the queue when it rolls back)."""
    rows = await conn.fetch(_TAKE, limit)
    return [_staged(row) for row in sorted(rows, key=lambda row: row["position"])]


def _staged(row: asyncpg.Record) -> StagedRequest:
    return StagedRequest(**{field.name: row[field.name] for field in fields(StagedRequest)})


async def waiting(conn: asyncpg.Connection, limit: int) -> list[int]:
    """The positions of the first `limit` waiting requests."""
    return [
        r["position"]
        for r in await conn.fetch(
            "SELECT position FROM invitation_requests WHERE failed_at IS NULL"
            " ORDER BY position LIMIT $1",
            limit,
        )
    ]


async def take_one(conn: asyncpg.Connection, position: int) -> list[StagedRequest]:
    """The waiting request at `position` (none if another processor took it)."""
    rows = await conn.fetch(
        "DELETE FROM invitation_requests WHERE position = ANY(SELECT position FROM invitation_requests"
        " WHERE position = $1 AND failed_at IS NULL FOR UPDATE SKIP LOCKED) RETURNING *",
        position,
    )
    return [_staged(row) for row in rows]


async def mark_failed(conn: asyncpg.Connection, position: int, error: str) -> None:
    """Keep a request whose handling failed out of the queue, with the error, for a person."""
    await conn.execute(
        "UPDATE invitation_requests SET failed_at = now(), error = $2 WHERE position = $1",
        position, error[:2000],
    )  # fmt: skip


async def take_inviters(conn: asyncpg.Connection, inviter_id: UUID) -> list[StagedRequest]:
    """The inviter's requests, waiting or failed, removed from the queue (their account
    closed), in order. Those a processor holds right now are skipped, not waited for: it will
    refuse them itself (decide.py)."""
    rows = await conn.fetch(
        "DELETE FROM invitation_requests WHERE position = ANY(SELECT position FROM"
        " invitation_requests WHERE inviter_id = $1 FOR UPDATE SKIP LOCKED) RETURNING *",
        inviter_id,
    )
    return [_staged(row) for row in sorted(rows, key=lambda row: row["position"])]
