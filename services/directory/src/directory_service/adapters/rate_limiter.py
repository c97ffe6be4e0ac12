"""Token buckets in Postgres, so a limit holds however many instances of the service run.

One row per (subject, action). The row is locked while a statement takes a token, so two
instances never both spend the last one. ``rate_limits`` is an UNLOGGED table: taking a token
writes no WAL and its commit never waits for a disk flush. After a Postgres crash the table
comes back empty, so every user starts again with a full bucket, which is harmless.

The bucket is a WITH-list fragment (:data:`BUCKET`) so a limited read can take its token in
the same statement, and so in one round trip (see ``lookups.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import asyncpg
from contacts_servicekit.domain_errors import QuotaPolicy

# $1 subject, $2 action, $3 burst, $4 refill per second; `bucket.available` is the balance
# before this statement took its token (the token is taken only when available >= 1);
# select `(SELECT counted FROM spend)`: NULL means the statement lost the race to create the row.
BUCKET = """
bucket AS (
    SELECT least($3::float8, coalesce(
        (SELECT tokens + extract(epoch FROM clock_timestamp() - updated_at) * $4::float8
         FROM rate_limits WHERE subject = $1 AND action = $2 FOR UPDATE),
        $3::float8)) AS available,
        EXISTS (SELECT FROM rate_limits WHERE subject = $1 AND action = $2) AS existed
), spend AS (
    INSERT INTO rate_limits (subject, action, tokens, updated_at)
    SELECT $1, $2, CASE WHEN available >= 1 THEN available - 1 ELSE available END, clock_timestamp()
    FROM bucket
    ON CONFLICT (subject, action)
    DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at
    WHERE (SELECT existed FROM bucket)
    RETURNING true AS counted
)
"""
# A subject's first two requests at once both find no row: the second one's insert then
# conflicts, and `spend` writes nothing rather than overwrite the first one's spending, so
# `counted` is NULL and the caller runs the statement again (now the row exists and is locked).


@dataclass(frozen=True)
class Limit:
    """`burst` requests at once, then `per_minute` more each minute."""

    action: str
    burst: int
    per_minute: float

    @property
    def per_second(self) -> float:
        return self.per_minute / 60

    @property
    def policy(self) -> QuotaPolicy:
        """The limit as the RateLimit-Policy header states it: `burst` requests in the time
        an empty bucket takes to fill again."""
        return QuotaPolicy(self.action, self.burst, math.ceil(self.burst / self.per_second))

    def arguments(self, subject: str) -> tuple[str, str, int, float]:
        """The values of :data:`BUCKET`'s parameters $1 to $4."""
        return subject, self.action, self.burst, self.per_second


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after_seconds: int  # 0 when allowed

    @classmethod
    def of(cls, available: float, limit: Limit) -> Decision:
        """Allowed when a whole token was available; else when the next one will be."""
        if available >= 1:
            return cls(True, 0)
        return cls(False, max(1, math.ceil((1 - available) / limit.per_second)))


_TAKE = f"WITH {BUCKET} SELECT bucket.available, (SELECT counted FROM spend) AS counted FROM bucket"


async def take(conn: asyncpg.Connection, limit: Limit, subject: str) -> Decision:
    """Take one token of ``limit`` for ``subject`` (a statement of its own)."""
    row = await conn.fetchrow(_TAKE, *limit.arguments(subject))
    if row is not None and row["counted"] is None:  # lost the race to create the bucket
        row = await conn.fetchrow(_TAKE, *limit.arguments(subject))
    assert row is not None
    return Decision.of(row["available"], limit)
