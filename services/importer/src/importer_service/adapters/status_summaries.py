"""Summarising the newest rows of `import_row_statuses` in its number index, every few seconds.

The index an account closure's erasure reads (`import_row_statuses_number_bloom`, migration
0011) is a BRIN bloom filter per 32 pages: a row costs nothing to index as it is written, and
the ranges written since the last summary are read whole by an erasure until they are
summarised. Postgres' own `autosummarize` asks autovacuum for each range as it fills, through a
queue of 256 requests that one import of a million rows (580 ranges) overflows, with a log line
per request dropped; instead each importer summarises what is new every
`IMPORT_SUMMARY_SECONDS` (about 0.2 s of Postgres CPU per million rows, nothing when nothing is
new). Summarising takes a lock that instances and autovacuum share one at a time: when another
holds it, this round is skipped (the holder summarises the same ranges).
"""

from __future__ import annotations

import asyncio

import asyncpg
import structlog

INDEX = "import_row_statuses_number_bloom"
WAIT_FOR_LOCK = "200ms"

log = structlog.get_logger(__name__)


async def summarise_new_rows(pool: asyncpg.Pool) -> int | None:
    """Summarise the index's new ranges; how many, or None when another summariser (or a vacuum
    of the table) holds the lock."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(f"SET LOCAL lock_timeout = '{WAIT_FOR_LOCK}'")
        try:
            summarised: int = await conn.fetchval("SELECT brin_summarize_new_values($1)", INDEX)
        except asyncpg.LockNotAvailableError:
            return None
    return summarised


async def summarise_every(pool: asyncpg.Pool, seconds: float) -> None:
    """`summarise_new_rows` every `seconds`, until cancelled; a failed round is logged and the
    next one tried (the erasure reads ranges not summarised yet whole, so nothing is missed)."""
    while True:
        await asyncio.sleep(seconds)
        try:
            summarised = await summarise_new_rows(pool)
        except (OSError, asyncpg.PostgresError) as error:
            log.warning("statuses.summary_failed", error=repr(error))
            continue
        if summarised:
            log.debug("statuses.summarised", ranges=summarised)
