"""Rows that outlived their retention are deleted, a small batch at a time (docs/data-retention.md).

The inbox, the idempotency keys and the outbox's sent rows each gain a row per event or keyed
request, forever, unless purged. A service adds purges of its own tables (any `Purge`: the
importer's finished imports) to the same loop with `ServiceHost.add_purge`. A purge deletes the oldest rows first, at most `batch_size`
per statement, each statement its own short transaction: no lock on the whole table, no long
transaction holding back vacuum, and a busy table keeps taking writes between batches. Rows
locked by a transaction in flight are skipped (they are not old). The cut-off is taken once
per purge, so rows that age meanwhile wait for the next one instead of prolonging this one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import asyncpg
import structlog
from contacts_servicekit.retention_settings import RetentionSettings

from contacts_messaging.metrics import ROWS_PURGED

log = structlog.get_logger(__name__)

BATCH_SIZE = 5000  # rows per DELETE: a few milliseconds of locks on an indexed table

# `ORDER BY` walks the time column's index from the oldest row; `ctid` finds the rows again
# without knowing the table's key.
_DELETE_BATCH = """
DELETE FROM {table} WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM {table} WHERE {column} < $1 ORDER BY {column} LIMIT $2
    FOR UPDATE SKIP LOCKED))
"""


class Purge(Protocol):
    """One kind of row that outlives its use: `purge` deletes what is due, in short batches
    (several instances may run it at once), and returns the rows deleted per table."""

    async def purge(self, pool: asyncpg.Pool) -> dict[str, int]: ...


@dataclass(frozen=True)
class Expiry:
    """Rows of `table` whose `column` (a timestamptz) is older than `retention_seconds` go."""

    table: str
    column: str
    retention_seconds: float

    async def purge(self, pool: asyncpg.Pool) -> dict[str, int]:
        return {self.table: await purge_expired(pool, self)}


def messaging_expiries(settings: RetentionSettings) -> tuple[Expiry, ...]:
    """The inbox and idempotency-key retentions a service is configured with."""
    return (
        Expiry("inbox", "processed_at", settings.inbox_retention_hours * 3600),
        Expiry("idempotency_keys", "created_at", settings.idempotency_retention_hours * 3600),
    )


async def purge_expired(pool: asyncpg.Pool, expiry: Expiry, batch_size: int = BATCH_SIZE) -> int:
    """Delete `expiry`'s rows older than its retention, batch by batch; return how many."""
    cutoff = await pool.fetchval(
        "SELECT now() - make_interval(secs => $1)", expiry.retention_seconds
    )
    statement = _DELETE_BATCH.format(table=expiry.table, column=expiry.column)
    purged = 0
    while True:
        deleted = int((await pool.execute(statement, cutoff, batch_size)).split()[-1])
        purged += deleted
        ROWS_PURGED.labels(expiry.table).inc(deleted)
        if deleted < batch_size:
            return purged
        await asyncio.sleep(0)  # let the service's other work run between batches


class RetentionPurge:
    """Runs the given purges every `every_seconds` until cancelled (a service's background
    task; several instances may run it at once: each skips the rows another one holds)."""

    def __init__(self, pool: asyncpg.Pool, purges: Sequence[Purge], every_seconds: float) -> None:
        self.pool = pool
        self.purges = tuple(purges)
        self.every_seconds = every_seconds

    async def run(self) -> None:
        while True:
            try:
                await self.purge_all()
            except Exception as exc:  # Postgres away, say: the next round tries again
                log.warning("retention.purge_failed", error=repr(exc))
            await asyncio.sleep(self.every_seconds)

    async def purge_all(self) -> dict[str, int]:
        """One round of every purge; return the rows deleted per table (and log them)."""
        purged: dict[str, int] = {}
        for purge in self.purges:
            started = time.monotonic()
            tables = await purge.purge(self.pool)
            seconds = round(time.monotonic() - started, 3)
            for table, rows in tables.items():
                purged[table] = purged.get(table, 0) + rows
                if rows:
                    log.info("retention.purged", table=table, rows=rows, seconds=seconds)
        return purged
