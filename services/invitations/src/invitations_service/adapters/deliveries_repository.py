"""Deliveries (one row per message to send) in Postgres: claiming due ones with their
invitation, and recording the results of many attempts at once.

Every result is recorded only while the row is still `sending` for the same attempt: an
attempt whose lease ran out and that another worker claimed again is that worker's to record.

Each row keeps the context of the request that queued it (correlation and causation ids,
tenant, actor), which the events about its message carry.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import asyncpg

# A queued message of an invitation closed meanwhile (a retry, or a send given back after
# the closure failed the queued ones) is dropped, never sent; a `sending` one whose lease ran
# out is the same attempt, retried with the same key.
_CLAIM = """
WITH due AS (
    SELECT d.delivery_id,
        d.status = 'sending' OR i.status IN ('pending', 'sent', 'delivery_failed') AS wanted
    FROM deliveries d JOIN invitations i ON i.invitation_id = d.invitation_id
    WHERE (d.status = 'queued' AND d.not_before <= now())
        OR (d.status = 'sending' AND d.claimed_until < now())
    ORDER BY d.not_before LIMIT $1 FOR UPDATE OF d SKIP LOCKED
), dropped AS (
    UPDATE deliveries d SET status = 'failed', last_error = 'invitation closed'
    FROM due WHERE d.delivery_id = due.delivery_id AND NOT due.wanted
), claimed AS (
    UPDATE deliveries d SET status = 'sending', attempts = attempts + 1,
        claimed_until = now() + $2::interval
    FROM due WHERE d.delivery_id = due.delivery_id AND due.wanted
    RETURNING d.delivery_id, d.invitation_id, d.kind, d.attempts,
        d.correlation_id, d.causation_id, d.tenant, d.actor
)
SELECT c.*, i.inviter_id, i.request_id, i.import_id, i.channel, i.phone_e164, i.email,
    i.invitee_name, i.token, i.expires_at, i.send_count,
    coalesce(u.display_name, 'A contact') AS inviter_name
FROM claimed c JOIN invitations i ON i.invitation_id = c.invitation_id
LEFT JOIN directory_users u ON u.user_id = i.inviter_id
"""

# The attempts still `sending` are marked sent, and each one's invitation counts one more send
# (every message that went out counts; only an open invitation becomes `sent`: one accepted or
# cancelled while its message was in flight stays closed), in one statement.
_SENT = """
WITH marked AS (
    UPDATE deliveries d SET status = 'sent', sent_at = now(), provider_message_id = r.provider_id
    FROM unnest($1::uuid[], $2::int[], $3::text[]) AS r(delivery_id, attempts, provider_id)
    WHERE d.delivery_id = r.delivery_id AND d.status = 'sending' AND d.attempts = r.attempts
    RETURNING d.delivery_id, d.invitation_id
), counted AS (
    UPDATE invitations i SET send_count = i.send_count + s.n, last_sent_at = now(),
        status = CASE WHEN i.status IN ('pending', 'sent', 'delivery_failed') THEN 'sent' ELSE i.status END
    FROM (SELECT invitation_id, count(*)::int AS n FROM marked GROUP BY invitation_id) AS s
    WHERE i.invitation_id = s.invitation_id
    RETURNING i.invitation_id, i.send_count
)
SELECT m.delivery_id, c.send_count FROM marked m JOIN counted c USING (invitation_id)
"""

_REQUEUE = """
UPDATE deliveries d SET status = 'queued', not_before = now() + r.delay, last_error = r.error
FROM unnest($1::uuid[], $2::int[], $3::interval[], $4::text[]) AS r(delivery_id, attempts, delay, error)
WHERE d.delivery_id = r.delivery_id AND d.status = 'sending' AND d.attempts = r.attempts
RETURNING d.delivery_id
"""

_FAILED = """
UPDATE deliveries d SET status = 'failed', last_error = r.error
FROM unnest($1::uuid[], $2::int[], $3::text[]) AS r(delivery_id, attempts, error)
WHERE d.delivery_id = r.delivery_id AND d.status = 'sending' AND d.attempts = r.attempts
RETURNING d.delivery_id
"""

# Not sent at all (its turn came too late in the lease): queued again, the attempt not counted.
_GIVE_BACK = """
UPDATE deliveries d SET status = 'queued', attempts = d.attempts - 1, claimed_until = NULL
FROM unnest($1::uuid[], $2::int[]) AS r(delivery_id, attempts)
WHERE d.delivery_id = r.delivery_id AND d.status = 'sending' AND d.attempts = r.attempts
"""

Attempt = tuple[UUID, int]  # (delivery_id, attempts) of one claimed attempt


async def claim(conn: asyncpg.Connection, limit: int, lease: timedelta) -> list[asyncpg.Record]:
    """Up to `limit` due deliveries, now `sending` for one more attempt until `lease` ends,
    each with its invitation's fields and the inviter's name (fewer when queued messages of
    closed invitations were among them: those are dropped)."""
    rows: list[asyncpg.Record] = await conn.fetch(_CLAIM, limit, lease)
    return rows


async def mark_sent(
    conn: asyncpg.Connection, sent: list[tuple[UUID, int, str | None]]
) -> dict[UUID, int]:
    """(delivery_id, attempts, provider message id) accepted by the provider: those recorded,
    each with its invitation's send count now (one more for each message recorded)."""
    if not sent:
        return {}
    ids, attempts, provider_ids = (list(column) for column in zip(*sent, strict=True))
    rows = await conn.fetch(_SENT, ids, attempts, provider_ids)
    return {r["delivery_id"]: r["send_count"] for r in rows}


async def requeue(
    conn: asyncpg.Connection, retries: list[tuple[UUID, int, timedelta, str]]
) -> set[UUID]:
    """(delivery_id, attempts, delay, error) to try again after their delay; those recorded."""
    if not retries:
        return set()
    columns = [list(column) for column in zip(*retries, strict=True)]
    return {r["delivery_id"] for r in await conn.fetch(_REQUEUE, *columns)}


async def mark_failed(conn: asyncpg.Connection, failed: list[tuple[UUID, int, str]]) -> set[UUID]:
    """(delivery_id, attempts, error) given up; those recorded."""
    if not failed:
        return set()
    columns = [list(column) for column in zip(*failed, strict=True)]
    return {r["delivery_id"] for r in await conn.fetch(_FAILED, *columns)}


async def fail_pending(conn: asyncpg.Connection, invitation_ids: list[UUID]) -> None:
    """Invitations whose first message was given up are `delivery_failed`."""
    if invitation_ids:
        await conn.execute(
            "UPDATE invitations SET status = 'delivery_failed'"
            " WHERE invitation_id = ANY($1::uuid[]) AND status = 'pending'",
            invitation_ids,
        )


async def give_back(conn: asyncpg.Connection, unsent: list[Attempt]) -> None:
    """Claimed attempts that were never sent: queued again, as if never claimed."""
    if unsent:
        ids, attempts = (list(column) for column in zip(*unsent, strict=True))
        await conn.execute(_GIVE_BACK, ids, attempts)


async def in_progress(conn: asyncpg.Connection, invitation_id: UUID) -> bool:
    """Whether a message of the invitation is queued or with the provider."""
    return bool(
        await conn.fetchval(
            "SELECT true FROM deliveries WHERE invitation_id = $1"
            " AND status IN ('queued', 'sending')",
            invitation_id,
        )
    )
