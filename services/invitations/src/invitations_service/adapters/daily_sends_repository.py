"""The daily send counters behind the caps (`daily_sends`): one request at a time, or a batch."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import asyncpg

DailyKey = tuple[str, str]  # (scope, subject)

_ENSURE = """
INSERT INTO daily_sends (scope, subject, day, count)
SELECT scope, subject, $3, 0 FROM unnest($1::text[], $2::text[]) AS k(scope, subject)
ON CONFLICT DO NOTHING
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
    conn: asyncpg.Connection, scope: str, subject: str, day: date, cap: int
) -> bool:
    """Count one send against `subject`'s cap for `day`; False (nothing counted) at the cap."""
    taken = await conn.fetchval(
        "INSERT INTO daily_sends (scope, subject, day, count) VALUES ($1, $2, $3, 1)"
        " ON CONFLICT (scope, subject, day) DO UPDATE SET count = daily_sends.count + 1"
        " WHERE daily_sends.count < $4 RETURNING true",
        scope, subject, day, cap,
    )  # fmt: skip
    return bool(taken)


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
