"""The `closed_accounts` table and the account lock, in SQL functions of the messaging
migrations (0005): one round trip each."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

import asyncpg

CHANNEL_SUFFIX = ".closed_accounts"  # NOTIFY channel '<schema>.closed_accounts'


def channel(schema: str) -> str:
    return f"{schema}{CHANNEL_SUFFIX}"


async def record_closed(conn: asyncpg.Connection, user_id: UUID, reason: str) -> bool:
    """Close the account in this schema, once the lock is free of work in flight for it
    (idempotent); True when it was open until now. Every process hears of it on commit."""
    return bool(await conn.fetchval("SELECT close_account($1, $2)", user_id, reason))


async def hold_open(conn: asyncpg.Connection, user_ids: Iterable[UUID]) -> set[UUID]:
    """Hold these accounts open until the transaction ends (a closure waits for it); return
    those closed already, which the caller must not act for."""
    ids = list(user_ids)
    if not ids:
        return set()
    rows = await conn.fetch("SELECT hold_accounts_open($1::uuid[]) AS user_id", ids)
    return {row["user_id"] for row in rows}


async def hold_exclusively(conn: asyncpg.Connection, user_id: UUID) -> None:
    """Take the account's lock as a closure does, until the transaction ends: work that held
    the account open (`hold_open`) has committed by then, and work that holds it open later
    waits for this transaction, so its next statements read what this one wrote (a copy of
    the user's profile, say, that such work copies into rows of its own)."""
    await conn.execute(
        "SELECT pg_advisory_xact_lock(k[1], k[2]) FROM (SELECT account_lock_key($1) AS k) AS key",
        user_id,
    )


async def hold_all_exclusively(conn: asyncpg.Connection, user_ids: Iterable[UUID]) -> None:
    """`hold_exclusively` for every one of these accounts, taken in id order (as `hold_open`
    takes its), so that two transactions taking theirs this way never wait in a cycle."""
    ids = list(user_ids)
    if ids:
        await conn.execute("SELECT hold_accounts_exclusively($1::uuid[])", ids)


async def is_open(conn: asyncpg.Connection, user_id: UUID) -> bool:
    """`hold_open` for one account: True (and held open) unless it is closed."""
    return not await hold_open(conn, [user_id])


async def closed_ids(conn: asyncpg.Connection | asyncpg.Pool) -> set[str]:
    """Every closed account of this schema, as canonical UUID strings."""
    rows = await conn.fetch("SELECT user_id::text AS user_id FROM closed_accounts")
    return {row["user_id"] for row in rows}
