"""The delivery workers running now (`send_workers`), by the database's clock: a heartbeat
counts the live ones, a stopping worker leaves."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import asyncpg

_BEAT = """
WITH seen AS (
    INSERT INTO send_workers (worker_id, seen_at) VALUES ($1, now())
    ON CONFLICT (worker_id) DO UPDATE SET seen_at = now()
), gone AS (
    DELETE FROM send_workers WHERE seen_at < now() - $2::interval AND worker_id <> $1
)
SELECT count(*) + 1 FROM send_workers WHERE seen_at >= now() - $2::interval AND worker_id <> $1
"""


async def beat(conn: asyncpg.Connection, worker_id: UUID, live_for: timedelta) -> int:
    """Mark this worker seen now, forget those not seen within `live_for`; how many workers
    are live, this one included."""
    return int(await conn.fetchval(_BEAT, worker_id, live_for))


async def leave(conn: asyncpg.Connection, worker_id: UUID) -> None:
    await conn.execute("DELETE FROM send_workers WHERE worker_id = $1", worker_id)


class SendWorkers:
    """This process's delivery worker among those of the service (rate_share.Workers)."""

    def __init__(self, pool: asyncpg.Pool, live_for: timedelta) -> None:
        self.pool, self.live_for = pool, live_for
        self.worker_id = uuid4()

    async def beat(self) -> int:
        async with self.pool.acquire() as conn:
            return await beat(conn, self.worker_id, self.live_for)

    async def leave(self) -> None:
        async with self.pool.acquire() as conn:
            await leave(conn, self.worker_id)
