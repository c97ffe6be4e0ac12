"""Token buckets in Postgres, so a limit holds however many instances of the service run.

One row per (subject, action). The row is locked while a statement takes a token, so two
instances never both spend the last one. ``rate_limits`` is an UNLOGGED table: taking a token
writes no WAL and its commit never waits for a disk flush. After a Postgres crash the table
comes back empty, so every user starts again with a full bucket, which is harmless.

The bucket is a WITH-list fragment (:data:`BUCKET`) so a limited read can take its token in
the same statement, and so in one round trip (see ``lookups.py``).
"""

from __future__ import annotations

import asyncpg

from directory_service.domain.rate_limits import Decision, Limit

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


def arguments(limit: Limit, subject: str) -> tuple[str, str, int, float]:
    """The values of :data:`BUCKET`'s parameters $1 to $4."""
    return subject, limit.action, limit.burst, limit.per_second


_TAKE = f"WITH {BUCKET} SELECT bucket.available, (SELECT counted FROM spend) AS counted FROM bucket"


async def take(conn: asyncpg.Connection, limit: Limit, subject: str) -> Decision:
    """Take one token of ``limit`` for ``subject`` (a statement of its own)."""
    row = await conn.fetchrow(_TAKE, *arguments(limit, subject))
    if row is not None and row["counted"] is None:  # lost the race to create the bucket
        row = await conn.fetchrow(_TAKE, *arguments(limit, subject))
    assert row is not None
    return Decision.of(row["available"], limit)
