"""Token buckets in Postgres, so a limit holds however many instances of the service run.

One row per (subject, action). The row is locked while a request takes a token, so two
instances never both spend the last one. Rate-limit writes commit without waiting for the
WAL flush: after a crash a user may get back a few look-ups, which is harmless.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import asyncpg

_TAKE = """
WITH bucket AS (
    SELECT least($3::float8, coalesce(
        (SELECT tokens + extract(epoch FROM clock_timestamp() - updated_at) * $4::float8
         FROM rate_limits WHERE subject = $1 AND action = $2 FOR UPDATE),
        $3::float8)) AS available
), spend AS (
    INSERT INTO rate_limits (subject, action, tokens, updated_at)
    SELECT $1, $2, CASE WHEN available >= 1 THEN available - 1 ELSE available END, clock_timestamp()
    FROM bucket
    ON CONFLICT (subject, action)
    DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at
)
SELECT available FROM bucket
"""


@dataclass(frozen=True)
class Limit:
    """`burst` requests at once, then `per_minute` more each minute."""

    action: str
    burst: int
    per_minute: float

    @property
    def per_second(self) -> float:
        return self.per_minute / 60


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after_seconds: int  # 0 when allowed


async def take(pool: asyncpg.Pool, limit: Limit, subject: str) -> Decision:
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL synchronous_commit = off")
        available = await conn.fetchval(_TAKE, subject, limit.action, limit.burst, limit.per_second)
    if available >= 1:
        return Decision(True, 0)
    return Decision(False, max(1, math.ceil((1 - available) / limit.per_second)))
