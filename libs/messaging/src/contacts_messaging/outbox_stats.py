"""How far an outbox is behind: rows Kafka has not acknowledged yet and the oldest one's age."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

_STATS = """
SELECT count(*) AS backlog,
       coalesce(greatest(extract(epoch FROM clock_timestamp() - min(created_at)), 0), 0)::float8
           AS oldest_age_seconds
FROM {table} WHERE sent_at IS NULL
"""


@dataclass(frozen=True)
class OutboxStats:
    backlog: int  # rows not yet acknowledged by Kafka
    oldest_age_seconds: float  # age of the oldest of them; 0 when there are none


async def outbox_stats(
    db: asyncpg.Pool | asyncpg.Connection, schema: str | None = None, *, query_seconds: float = 2.0
) -> OutboxStats:
    """One query over the pending rows' partial index. `schema` names the schema explicitly
    (an operator's connection); without it the connection's search path decides (a service's)."""
    table = "outbox" if schema is None else f'"{schema.replace(chr(34), "")}".outbox'
    row = await db.fetchrow(_STATS.format(table=table), timeout=query_seconds)
    assert row is not None
    return OutboxStats(int(row["backlog"]), float(row["oldest_age_seconds"]))
