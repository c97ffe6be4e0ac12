"""One-time codes in Postgres: at most one live code per purpose, destination and user."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

from directory_service.domain.one_time_codes import Attempt, Purpose


async def replace(
    conn: asyncpg.Connection, purpose: Purpose, destination: str, user_id: UUID | None,
    code_hmac: bytes, attempts: int, expires_at: datetime,
) -> None:  # fmt: skip
    """Store a new code, dropping any earlier one for the same purpose, destination and user."""
    await conn.execute(
        "INSERT INTO one_time_codes"
        " (purpose, destination, user_id, code_hmac, attempts_left, expires_at)"
        " VALUES ($1, $2, $3, $4, $5, $6)"
        " ON CONFLICT (purpose, destination, user_id) DO UPDATE SET"
        " code_hmac = excluded.code_hmac, attempts_left = excluded.attempts_left,"
        " created_at = now(), expires_at = excluded.expires_at",
        purpose.value, destination, user_id, code_hmac, attempts, expires_at,
    )  # fmt: skip


async def take_attempt(
    conn: asyncpg.Connection, purpose: Purpose, destination: str, user_id: UUID | None
) -> Attempt | None:
    """Spend one attempt on the live code; None when there is none (or it has none left).

    Run it outside a transaction (the statement commits on its own): a wrong code must cost its
    attempt even though the request then fails, and parallel guesses cannot share one."""
    row = await conn.fetchrow(
        "UPDATE one_time_codes SET attempts_left = attempts_left - 1"
        " WHERE purpose = $1 AND destination = $2 AND user_id IS NOT DISTINCT FROM $3"
        " AND attempts_left > 0 AND expires_at > now()"
        " RETURNING code_hmac, attempts_left",
        purpose.value, destination, user_id,
    )  # fmt: skip
    return Attempt(row["code_hmac"], row["attempts_left"]) if row else None


async def consume(
    conn: asyncpg.Connection, purpose: Purpose, destination: str, user_id: UUID | None,
    code_hmac: bytes,
) -> bool:  # fmt: skip
    """Delete the code that matched; False when another request consumed (or replaced) it
    first. In the caller's transaction: a rollback gives the code back."""
    deleted = await conn.fetchval(
        "DELETE FROM one_time_codes WHERE purpose = $1 AND destination = $2"
        " AND user_id IS NOT DISTINCT FROM $3 AND code_hmac = $4 RETURNING true",
        purpose.value, destination, user_id, code_hmac,
    )  # fmt: skip
    return bool(deleted)
