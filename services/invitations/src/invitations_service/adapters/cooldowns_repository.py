"""The resend cool-down per inviter and destination (`send_cooldowns`): when the inviter last
asked for a message to a number or address, whichever invitation it was for. One request at a
time (`take`) or a batch (`locked_last_messages`, then `record`), in the caller's transaction:
a row taken or locked stays locked until it ends, so two instances see each other's messages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from uuid import UUID

import asyncpg

Pair = tuple[UUID, str]  # (inviter, destination: the E.164 number or the lower-case address)

_TAKE = """
INSERT INTO send_cooldowns AS c (inviter_id, destination, last_message_at) VALUES ($1, $2, $3)
ON CONFLICT (inviter_id, destination) DO UPDATE SET last_message_at = excluded.last_message_at
WHERE c.last_message_at <= $3 - $4::interval
RETURNING true
"""
_LAST = "SELECT last_message_at FROM send_cooldowns WHERE inviter_id = $1 AND destination = $2"
# Rows made for pairs without one (-infinity: no message yet), so that every pair can be locked.
_ENSURE = """
INSERT INTO send_cooldowns (inviter_id, destination, last_message_at)
SELECT p.inviter_id, p.destination, '-infinity' FROM unnest($1::uuid[], $2::text[])
    AS p(inviter_id, destination)
ON CONFLICT DO NOTHING
"""
_LOCK = """
SELECT inviter_id, destination, last_message_at, isfinite(last_message_at) AS messaged
FROM send_cooldowns
WHERE (inviter_id, destination) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))
ORDER BY inviter_id, destination FOR UPDATE
"""
_RECORD = """
UPDATE send_cooldowns c SET last_message_at = $3
FROM unnest($1::uuid[], $2::text[]) AS p(inviter_id, destination)
WHERE c.inviter_id = p.inviter_id AND c.destination = p.destination
"""


async def take(
    conn: asyncpg.Connection, pair: Pair, now: datetime, cooldown: timedelta
) -> datetime | None:
    """Start the pair's cool-down at `now` and return None; while the previous one is still
    running, change nothing and return when its message was asked for."""
    if await conn.fetchval(_TAKE, *pair, now, cooldown):
        return None
    last: datetime = await conn.fetchval(_LAST, *pair)
    return last


async def locked_last_messages(
    conn: asyncpg.Connection, pairs: Iterable[Pair]
) -> dict[Pair, datetime]:
    """When each pair's last message was asked for (pairs without one are left out), locked
    in a fixed order until the transaction ends."""
    ordered = sorted(set(pairs))
    if not ordered:
        return {}
    inviters, destinations = [p[0] for p in ordered], [p[1] for p in ordered]
    await conn.execute(_ENSURE, inviters, destinations)
    rows = await conn.fetch(_LOCK, inviters, destinations)
    return {
        (r["inviter_id"], r["destination"]): r["last_message_at"] for r in rows if r["messaged"]
    }


async def record(conn: asyncpg.Connection, pairs: Iterable[Pair], now: datetime) -> None:
    """Start the cool-down of pairs `locked_last_messages` locked."""
    listed = list(pairs)
    if listed:
        await conn.execute(_RECORD, [p[0] for p in listed], [p[1] for p in listed], now)


async def forget_ended(conn: asyncpg.Connection, cooldown: timedelta) -> None:
    """Drop the rows of cool-downs that have ended: they refuse nothing any more."""
    await conn.execute(
        "DELETE FROM send_cooldowns WHERE last_message_at < now() - $1::interval", cooldown
    )
