"""The daily send counters behind the caps (`daily_sends`): one request at a time, or a batch."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import asyncpg

DailyKey = tuple[str, str]  # (scope, subject)

_ENSURE = """
INSERT INTO daily_sends (scope, subject, day, count)
SELECT scope, subject, $3, 0 FROM unnest($1::text[], $2::text[]) AS k(scope, subject)
ON CONFLICT DO NOTHING
"""
# One send more against each key under its cap (`k.n` keeps the order the caller gives).
_TAKE = """
WITH k AS (
    SELECT * FROM unnest($1::text[], $2::text[], $4::int[]) WITH ORDINALITY AS k(scope, subject, cap, n)
)
INSERT INTO daily_sends AS d (scope, subject, day, count)
SELECT scope, subject, $3, 1 FROM k WHERE cap > 0 ORDER BY n
ON CONFLICT (scope, subject, day) DO UPDATE SET count = d.count + 1
WHERE d.count < (SELECT k.cap FROM k WHERE k.scope = d.scope AND k.subject = d.subject)
RETURNING d.scope, d.subject
"""
# Inviters' rows before destinations' (as `take_daily` callers take them): no deadlock.
_LOCK = """
SELECT scope, subject, count FROM daily_sends
WHERE day = $3 AND (scope, subject) IN (SELECT * FROM unnest($1::text[], $2::text[]))
ORDER BY scope DESC, subject FOR UPDATE
"""
_ADD = """
UPDATE daily_sends d SET count = d.count + a.n
FROM unnest($1::text[], $2::text[], $3::int[]) AS a(scope, subject, n)
WHERE d.scope = a.scope AND d.subject = a.subject AND d.day = $4
"""


async def take_daily(
    conn: asyncpg.Connection, caps: Sequence[tuple[DailyKey, int]], day: date
) -> DailyKey | None:
    """Count one send for `day` against each key under its cap, in one statement (rows taken
    in `caps`' order); the first key at its cap, if any (see ports.DailySends)."""
    keys = [key for key, _ in caps]
    taken = await conn.fetch(
        _TAKE, [k[0] for k in keys], [k[1] for k in keys], day, [cap for _, cap in caps]
    )
    counted = {(r["scope"], r["subject"]) for r in taken}
    return next((key for key in keys if key not in counted), None)


async def locked_counts(
    conn: asyncpg.Connection, day: date, keys: Iterable[DailyKey]
) -> dict[DailyKey, int]:
    """Today's counters of `keys`, locked until the transaction ends (missing ones made at 0)."""
    ordered = sorted(set(keys), key=lambda key: (key[0] != "inviter", key[1]))
    if not ordered:
        return {}
    scopes, subjects = [k[0] for k in ordered], [k[1] for k in ordered]
    await conn.execute(_ENSURE, scopes, subjects, day)
    rows = await conn.fetch(_LOCK, scopes, subjects, day)
    return {(r["scope"], r["subject"]): r["count"] for r in rows}


async def add_counts(conn: asyncpg.Connection, day: date, added: Mapping[DailyKey, int]) -> None:
    """Add to counters `locked_counts` returned."""
    if added:
        keys = list(added)
        await conn.execute(
            _ADD, [k[0] for k in keys], [k[1] for k in keys], list(added.values()), day
        )
