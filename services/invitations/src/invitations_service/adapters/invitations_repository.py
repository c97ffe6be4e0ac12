"""Invitations, deliveries and the daily send counters in Postgres."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
from contacts_events import EventContext

from invitations_service.adapters.delivery_context import CONTEXT_COLUMNS, context_values
from invitations_service.domain.invitation import OPEN


async def open_for(
    conn: asyncpg.Connection, inviter_id: UUID, destination: str
) -> asyncpg.Record | None:
    """The inviter's open invitation to the number or (lower-case) address."""
    return await conn.fetchrow(
        "SELECT * FROM invitations WHERE inviter_id = $1 AND status = ANY($3::text[])"
        " AND coalesce(phone_e164, lower(email)) = $2",
        inviter_id, destination, list(OPEN),
    )  # fmt: skip


async def by_request(conn: asyncpg.Connection, request_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM invitations WHERE request_id = $1", request_id)


async def get(
    conn: asyncpg.Connection, invitation_id: UUID, *, for_update: bool = False
) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM invitations WHERE invitation_id = $1"
        + (" FOR UPDATE" if for_update else ""),
        invitation_id,
    )


async def insert(conn: asyncpg.Connection, **fields: Any) -> None:
    columns = ", ".join(fields)
    values = ", ".join(f"${i}" for i in range(1, len(fields) + 1))
    await conn.execute(f"INSERT INTO invitations ({columns}) VALUES ({values})", *fields.values())


async def queue_delivery(
    conn: asyncpg.Connection, delivery_id: UUID, invitation_id: UUID, kind: str,
    context: EventContext,
) -> None:  # fmt: skip
    """Queue a message, with the context of the request that asks for it."""
    await conn.execute(
        f"INSERT INTO deliveries (delivery_id, invitation_id, kind, status, {CONTEXT_COLUMNS})"
        " VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7)",
        delivery_id, invitation_id, kind, *context_values(context),
    )  # fmt: skip


async def invited_requests(conn: asyncpg.Connection, request_ids: list[UUID]) -> set[UUID]:
    """Which of these requests already made an invitation (whatever became of it)."""
    rows = await conn.fetch(
        "SELECT request_id FROM invitations WHERE request_id = ANY($1::uuid[])", request_ids
    )
    return {r["request_id"] for r in rows}


async def open_destinations(
    conn: asyncpg.Connection, pairs: list[tuple[UUID, str]]
) -> set[tuple[UUID, str]]:
    """Which (inviter, destination) pairs have an open invitation; a destination is the
    E.164 number or the lower-case address."""
    rows = await conn.fetch(
        "SELECT i.inviter_id, p.destination FROM unnest($1::uuid[], $2::text[]) AS p(inviter_id, destination)"
        " JOIN invitations i ON i.inviter_id = p.inviter_id"
        " AND coalesce(i.phone_e164, lower(i.email)) = p.destination"
        " WHERE i.status IN ('pending', 'sent', 'delivery_failed')",
        [p[0] for p in pairs], [p[1] for p in pairs],
    )  # fmt: skip
    return {(r["inviter_id"], r["destination"]) for r in rows}


_INSERT_MANY = """
INSERT INTO invitations (invitation_id, inviter_id, request_id, import_id, channel, phone_e164,
    email, invitee_name, token, status, expires_at)
SELECT n.*, 'pending', $10 FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[],
    $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS n
ON CONFLICT DO NOTHING RETURNING invitation_id
"""
NEW_COLUMNS = (
    "invitation_id", "inviter_id", "request_id", "import_id", "channel", "phone_e164", "email",
    "invitee_name", "token",
)  # fmt: skip


_QUEUE_FIRSTS = f"""
INSERT INTO deliveries (delivery_id, invitation_id, kind, status, {CONTEXT_COLUMNS})
SELECT gen_random_uuid(), f.id, 'first', 'queued', f.correlation_id, f.causation_id, f.tenant,
    f.actor
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])
    AS f(id, correlation_id, causation_id, tenant, actor)
"""


async def insert_pending(
    conn: asyncpg.Connection, rows: list[tuple[Any, ...]], contexts: list[EventContext],
    expires_at: datetime,
) -> set[UUID]:  # fmt: skip
    """Insert pending invitations (values in NEW_COLUMNS order), each with a first delivery
    queued in the context of its request (`contexts`, one for each row); the ids of those
    inserted: one whose request or open pair exists is skipped."""
    if not rows:
        return set()
    columns = [list(column) for column in zip(*rows, strict=True)]
    inserted = {r["invitation_id"] for r in await conn.fetch(_INSERT_MANY, *columns, expires_at)}
    firsts = [  # row[0] is the invitation id
        (row[0], *context_values(context))
        for row, context in zip(rows, contexts, strict=True)
        if row[0] in inserted
    ]
    if firsts:
        await conn.execute(_QUEUE_FIRSTS, *(list(column) for column in zip(*firsts, strict=True)))
    return inserted


async def pending_page(
    conn: asyncpg.Connection, inviter_id: UUID, before: tuple[Any, UUID] | None, limit: int
) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await conn.fetch(
        "SELECT * FROM invitations WHERE inviter_id = $1 AND status = ANY($2::text[])"
        " AND ($3::timestamptz IS NULL OR (created_at, invitation_id) < ($3, $4))"
        " ORDER BY created_at DESC, invitation_id DESC LIMIT $5",
        inviter_id, list(OPEN), before[0] if before else None, before[1] if before else None, limit,
    )  # fmt: skip
    return rows


async def close(
    conn: asyncpg.Connection, invitation_id: UUID, status: str, invitee: UUID | None = None
) -> None:
    await conn.execute(
        "UPDATE invitations SET status = $2, closed_at = now(), invitee_user_id = $3 WHERE invitation_id = $1",
        invitation_id, status, invitee,
    )  # fmt: skip
    await conn.execute(
        "UPDATE deliveries SET status = 'failed', last_error = 'invitation closed'"
        " WHERE invitation_id = $1 AND status = 'queued'",
        invitation_id,
    )


_CANCEL_OPEN_OF = """
UPDATE invitations SET status = 'cancelled', closed_at = now()
WHERE inviter_id = $1 AND status = ANY($2::text[])
RETURNING *
"""


async def cancel_open_of(conn: asyncpg.Connection, inviter_id: UUID) -> list[asyncpg.Record]:
    """Cancel every open invitation of the inviter and fail their queued messages; those
    cancelled now."""
    rows: list[asyncpg.Record] = await conn.fetch(_CANCEL_OPEN_OF, inviter_id, list(OPEN))
    await conn.execute(
        "UPDATE deliveries SET status = 'failed', last_error = 'invitation closed'"
        " WHERE invitation_id = ANY($1::uuid[]) AND status = 'queued'",
        [row["invitation_id"] for row in rows],
    )
    return rows


async def open_matching(
    conn: asyncpg.Connection, phone: str | None, email: str | None, token: str | None
) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await conn.fetch(
        "SELECT *, CASE WHEN token = $3 THEN 'invitation_token' WHEN phone_e164 = $1 THEN 'phone'"
        " ELSE 'email' END AS matched_by FROM invitations"
        " WHERE status = ANY($4::text[]) AND expires_at > now()"
        " AND (token = $3 OR phone_e164 = $1 OR lower(email) = lower($2)) FOR UPDATE",
        phone, email, token, list(OPEN),
    )  # fmt: skip
    return rows


async def expire_due(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    """Close the open invitations past their expiry; those expired now."""
    rows: list[asyncpg.Record] = await conn.fetch(
        "UPDATE invitations SET status = 'expired', closed_at = now()"
        " WHERE status = ANY($1::text[]) AND expires_at <= now() RETURNING *",
        list(OPEN),
    )
    return rows
