"""Invitations, deliveries and the daily send counters in Postgres."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import asyncpg
from contacts_events import EventContext

from invitations_service.adapters.delivery_context import CONTEXT_COLUMNS, context_values
from invitations_service.domain.invitation import OPEN

# The open statuses written into the statements (not a parameter): the planner then sees the
# predicate of the partial indexes of open invitations, also in a prepared statement's generic
# plan (with `status = ANY($n)` a busy inviter's open invitation was found by a sequential scan).
IS_OPEN = "status IN ({})".format(", ".join(f"'{status}'" for status in OPEN))


async def open_for(
    conn: asyncpg.Connection, inviter_id: UUID, destination: str
) -> asyncpg.Record | None:
    """The inviter's open invitation to the number or (lower-case) address."""
    return await conn.fetchrow(
        f"SELECT * FROM invitations WHERE inviter_id = $1 AND {IS_OPEN}"
        " AND coalesce(phone_e164, lower(email)) = $2",
        inviter_id, destination,
    )  # fmt: skip


_EXISTING = f"""
SELECT * FROM invitations
WHERE request_id = $1 OR (inviter_id = $2 AND coalesce(phone_e164, lower(email)) = $3 AND {IS_OPEN})
ORDER BY request_id = $1 DESC LIMIT 1
"""


async def existing(
    conn: asyncpg.Connection, request_id: UUID, inviter_id: UUID, destination: str
) -> asyncpg.Record | None:
    """The invitation of the request, or else the inviter's open one to the destination (the
    request id's index or the open destinations' index, one probe each)."""
    return await conn.fetchrow(_EXISTING, request_id, inviter_id, destination)


async def get(
    conn: asyncpg.Connection, invitation_id: UUID, *, for_update: bool = False
) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM invitations WHERE invitation_id = $1"
        + (" FOR UPDATE" if for_update else ""),
        invitation_id,
    )


# A message queued for the delivery worker, or (with a lease: `claim_for`) already claimed by
# this process's worker, to be handed to it when the transaction commits (sending/handover.py):
# `sending`, its first attempt, the lease from now on. Either way it is read back with what the
# worker's claim reads (deliveries_repository.py, `_CLAIM`), the inviter's name included.
_CLAIMED_OR_QUEUED = """
    CASE WHEN $CLAIM::interval IS NULL THEN 'queued' ELSE 'sending' END,
    CASE WHEN $CLAIM::interval IS NULL THEN 0 ELSE 1 END, now() + $CLAIM::interval"""
_DELIVERY_READ_BACK = f"delivery_id, kind, attempts, {CONTEXT_COLUMNS}"
_INVITER_NAME = "coalesce(u.display_name, 'A contact') AS inviter_name"

_INSERT_FIRST = f"""
WITH stored AS (
    INSERT INTO invitations (invitation_id, inviter_id, request_id, import_id, channel,
        phone_e164, email, invitee_name, token, expires_at, status)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending') RETURNING *
), first_message AS (
    INSERT INTO deliveries (delivery_id, invitation_id, kind, {CONTEXT_COLUMNS}, status, attempts,
        claimed_until)
    SELECT gen_random_uuid(), invitation_id, 'first', $11, $12, $13, $14,{_CLAIMED_OR_QUEUED}
    FROM stored
    RETURNING {_DELIVERY_READ_BACK}
)
SELECT s.*, f.*, {_INVITER_NAME}
FROM stored s CROSS JOIN first_message f LEFT JOIN directory_users u ON u.user_id = s.inviter_id
""".replace("$CLAIM", "$15")


async def insert_first(
    conn: asyncpg.Connection, new: tuple[Any, ...], context: EventContext,
    claim_for: timedelta | None,
) -> asyncpg.Record:  # fmt: skip
    """Insert a pending invitation (values in NewInvitation's order) with its first message
    queued in `context`, or claimed for `claim_for`; the invitation as stored, with its message
    as the delivery worker reads a claimed one."""
    row: asyncpg.Record = await conn.fetchrow(
        _INSERT_FIRST, *new, *context_values(context), claim_for
    )
    return row


_QUEUE = f"""
WITH queued AS (
    INSERT INTO deliveries (delivery_id, invitation_id, kind, {CONTEXT_COLUMNS}, status, attempts,
        claimed_until)
    VALUES ($1, $2, $3, $4, $5, $6, $7,{_CLAIMED_OR_QUEUED})
    RETURNING invitation_id, {_DELIVERY_READ_BACK}
)
SELECT q.*, i.inviter_id, i.request_id, i.import_id, i.channel, i.phone_e164, i.email,
    i.invitee_name, i.token, i.expires_at, i.send_count, {_INVITER_NAME}
FROM queued q JOIN invitations i USING (invitation_id)
LEFT JOIN directory_users u ON u.user_id = i.inviter_id
""".replace("$CLAIM", "$8")


async def queue_delivery(
    conn: asyncpg.Connection, delivery_id: UUID, invitation_id: UUID, kind: str,
    context: EventContext, claim_for: timedelta | None,
) -> asyncpg.Record:  # fmt: skip
    """Queue a message (or claim it for `claim_for`), with the context of the request that asks
    for it; the message as the delivery worker reads a claimed one."""
    row: asyncpg.Record = await conn.fetchrow(
        _QUEUE, delivery_id, invitation_id, kind, *context_values(context), claim_for
    )
    return row


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
        f" WHERE i.{IS_OPEN}",
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
        f"SELECT * FROM invitations WHERE inviter_id = $1 AND {IS_OPEN}"
        " AND ($2::timestamptz IS NULL OR (created_at, invitation_id) < ($2, $3))"
        " ORDER BY created_at DESC, invitation_id DESC LIMIT $4",
        inviter_id, before[0] if before else None, before[1] if before else None, limit,
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


_CANCEL_OPEN_OF = f"""
UPDATE invitations SET status = 'cancelled', closed_at = now()
WHERE inviter_id = $1 AND {IS_OPEN}
RETURNING *
"""


async def cancel_open_of(conn: asyncpg.Connection, inviter_id: UUID) -> list[asyncpg.Record]:
    """Cancel every open invitation of the inviter and fail their queued messages; those
    cancelled now."""
    rows: list[asyncpg.Record] = await conn.fetch(_CANCEL_OPEN_OF, inviter_id)
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
        f" WHERE {IS_OPEN} AND expires_at > now()"
        " AND (token = $3 OR phone_e164 = $1 OR lower(email) = lower($2)) FOR UPDATE",
        phone, email, token,
    )  # fmt: skip
    return rows


async def expire_due(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    """Close the open invitations past their expiry; those expired now."""
    rows: list[asyncpg.Record] = await conn.fetch(
        "UPDATE invitations SET status = 'expired', closed_at = now()"
        f" WHERE {IS_OPEN} AND expires_at <= now() RETURNING *"
    )
    return rows
