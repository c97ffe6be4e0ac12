"""The import retention purge (what goes when: domain/retention.py), run by the messaging
library's retention loop (`ServiceHost.add_purge`) every `RETENTION_PURGE_MINUTES` on every
instance, as the inbox's purge is (docs/data-retention.md).

Its cut-off (now minus `IMPORT_RETENTION_DAYS`) is taken once per round. Then, in short
transactions that several instances can run at once:

1. **expiry**: imports waiting for their owner since before the cut-off, oldest first, a few
   per transaction, end `failed` with `import_expired` (the trigger of migration 0008 sets
   their `finished_at`) and their files are deleted;
2. **purge**: the oldest finished import not purged yet whose `finished_at` is before the
   cut-off is locked (`SKIP LOCKED`: another instance takes the next one, and no API call
   that locks the import runs meanwhile), and at most `batch_size` of its rows are deleted:
   import rows first, then duplicate markers, refusals, parse results and file chunks. The
   transaction that finds none left marks it `rows_purged_at`. A million-row import is 200
   transactions of 5,000 rows, between which the service's other work goes on.

Open invitation requests (`invitation_requests`) are not the import's to delete: they say that
a number is being invited, and go when the invitation closes (accepted, cancelled, expired).
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg
import structlog
from contacts_messaging.metrics import ROWS_PURGED
from contacts_messaging.retention import BATCH_SIZE

from importer_service.domain.retention import WAITING_FOR_OWNER, ImportRetention

log = structlog.get_logger(__name__)

IMPORT_TABLES = (
    "import_row_statuses", "import_rows", "import_duplicates", "invitation_refusals",
    "import_chunk_checks", "import_files",
)  # fmt: skip
"""What an import keeps besides itself, in the order it is deleted (statuses and rows first,
in the order an erasure locks them: one that holds some of them is waited for before anything
else of the import is touched)."""
EXPIRED_PER_TRANSACTION = 10  # each may hold a file of up to IMPORT_MAX_BYTES

_NEXT = """SELECT import_id FROM imports WHERE rows_purged_at IS NULL AND finished_at < $1
ORDER BY finished_at LIMIT 1 FOR UPDATE SKIP LOCKED"""
_DELETE_SOME = """DELETE FROM {table} WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM {table} WHERE import_id = $1 LIMIT $2))"""
# the statuses written out, so that the plan can use the partial index `imports_waiting`; one
# set-based statement with SKIP LOCKED rather than `Import.failed` and `save` per import, and a
# change domain/lifecycle.ALLOWED allows (tests/test_importer_domain_lifecycle.py)
_WAITING = ", ".join(f"'{status.value}'" for status in WAITING_FOR_OWNER)
_EXPIRE = f"""UPDATE imports SET status = 'failed', error = $3::jsonb
WHERE import_id = ANY(ARRAY(SELECT import_id FROM imports
    WHERE status IN ({_WAITING}) AND created_at < $1
    ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED))
RETURNING import_id"""


@dataclass(frozen=True)
class ImportPurge:
    """A `contacts_messaging.retention.Purge` of the imports past their retention."""

    retention: ImportRetention
    batch_size: int = BATCH_SIZE

    async def purge(self, pool: asyncpg.Pool) -> dict[str, int]:
        """One round: expire what waited too long, then purge every import due; the rows
        deleted per table."""
        cutoff: datetime = await pool.fetchval(
            "SELECT now() - make_interval(secs => $1)", self.retention.period.total_seconds()
        )
        await self._expire_waiting(pool, cutoff)
        purged: Counter[str] = Counter()
        while (deleted := await self._purge_some(pool, cutoff)) is not None:
            purged.update(deleted)
            await asyncio.sleep(0)  # let the service's other work run between batches
        return {table: purged[table] for table in IMPORT_TABLES}

    async def _expire_waiting(self, pool: asyncpg.Pool, cutoff: datetime) -> None:
        error = json.dumps(self.retention.expired_error())
        while True:
            async with pool.acquire() as conn, conn.transaction():
                rows = await conn.fetch(_EXPIRE, cutoff, EXPIRED_PER_TRANSACTION, error)
                expired = [row["import_id"] for row in rows]
                await conn.execute(
                    "DELETE FROM import_files WHERE import_id = ANY($1::uuid[])", expired
                )
            if expired:
                log.info("imports.expired", imports=[str(i) for i in expired])
            if len(expired) < EXPIRED_PER_TRANSACTION:
                return

    async def _purge_some(self, pool: asyncpg.Pool, cutoff: datetime) -> dict[str, int] | None:
        """At most `batch_size` rows of the oldest import due, in one transaction; None when
        no import is due (or every one due is held by another instance)."""
        async with pool.acquire() as conn, conn.transaction():
            import_id: UUID | None = await conn.fetchval(_NEXT, cutoff)
            if import_id is None:
                return None
            deleted = await _delete_some(conn, import_id, self.batch_size)
            if sum(deleted.values()) < self.batch_size:  # nothing of it is left
                await conn.execute(
                    "UPDATE imports SET rows_purged_at = now() WHERE import_id = $1", import_id
                )
        for table, rows in deleted.items():
            ROWS_PURGED.labels(table).inc(rows)
        return deleted


async def _delete_some(conn: asyncpg.Connection, import_id: UUID, budget: int) -> dict[str, int]:
    """Delete up to `budget` rows of the import, table after table; how many from each."""
    deleted: dict[str, int] = {}
    for table in IMPORT_TABLES:
        status = await conn.execute(_DELETE_SOME.format(table=table), import_id, budget)
        deleted[table] = int(status.split()[-1])
        budget -= deleted[table]
        if budget == 0:
            break
    return deleted
