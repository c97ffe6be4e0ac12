"""The validation pipeline, run by the importer workers (consumer group `importer.workers`).

    (file) ExtractRows -> rows stored
    start  -> ParseChunk x N   (parallel: numbers parsed and checked; invalid rows final)
    last ParseChunk -> EmitChunk x N   (parallel: final statuses, ImportRowValidated events)
    last EmitChunk  -> ImportCompleted with the counts

Parsing must finish for the whole import before any status is final, because "duplicate in
this import" points at the first row with the number, which may be in any chunk. Every step
is one transaction with the inbox, the row updates and the events it emits, so a worker
killed anywhere leaves either nothing or a finished step behind.
"""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg
from contacts_events import EventContext, ImportCompleted, ImportCounts, RowStatus
from contacts_events.envelope import CloudEvent
from contacts_messaging.inbox import Handler
from contacts_messaging.outbox import Outbox

from importer_service.adapters import chunk_checks
from importer_service.adapters import imports_repository as imports
from importer_service.adapters.file_reader import FileReader
from importer_service.adapters.phone_workers import PhoneCheckers
from importer_service.adapters.work_queue import (
    EmitChunk,
    ExtractRows,
    ParseChunk,
    chunks,
    spread_keys,
)
from importer_service.domain.model import Import, ImportStatus
from importer_service.handlers import chunk_steps
from importer_service.handlers.closures import still_open
from importer_service.handlers.extraction import extract_rows


async def start_validation(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext, job: Import, chunk_size: int
) -> None:
    """Queue the parse chunks of an extracted import (in the caller's transaction)."""
    ranges = await _row_chunks(conn, job, chunk_size)
    await imports.update(
        conn, job.import_id, status=ImportStatus.VALIDATING.value, chunk_count=len(ranges),
        parsed_chunks=0, emitted_chunks=0, started_at=_now(),
    )  # fmt: skip
    keys = spread_keys(job.import_id, len(ranges))
    items = [ParseChunk(import_id=job.import_id, first_row=a, last_row=b, spread_key=k)
             for (a, b), k in zip(ranges, keys, strict=True)]  # fmt: skip
    await outbox.add(conn, items, context)
    if not ranges:
        await _complete(conn, outbox, context, job)


def work_handlers(
    outbox: Outbox, chunk_size: int, checkers: PhoneCheckers, reader: FileReader
) -> dict[str, Handler]:
    async def on_extract(event: CloudEvent, conn: asyncpg.Connection) -> None:
        assert isinstance(event.data, ExtractRows)
        await extract_rows(conn, event.data.import_id, reader)
        job = await imports.get(conn, event.data.import_id)
        if job is not None:  # checked after the reading: a closure meanwhile waited for nothing
            await still_open(conn, job)

    async def on_parse(event: CloudEvent, conn: asyncpg.Connection) -> None:
        item = event.data
        assert isinstance(item, ParseChunk)
        job = await imports.get(conn, item.import_id)
        if job is None or job.status is not ImportStatus.VALIDATING:
            return  # replaced or failed meanwhile (its owner's account closed, say)
        if not await still_open(conn, job):
            return
        await _plan_each_lookup(conn)
        await chunk_steps.parse(conn, job, item.first_row, item.last_row, checkers)
        if await imports.count_chunk_done(conn, job.import_id, "parsed"):
            await chunk_checks.find_duplicates(conn, job.import_id)
            ranges = await _row_chunks(conn, job, chunk_size)
            keys = spread_keys(job.import_id, len(ranges))
            emits = [EmitChunk(import_id=job.import_id, first_row=a, last_row=b, spread_key=k)
                     for (a, b), k in zip(ranges, keys, strict=True)]  # fmt: skip
            await outbox.add(conn, emits, EventContext.caused_by(event))

    async def on_emit(event: CloudEvent, conn: asyncpg.Connection) -> None:
        item = event.data
        assert isinstance(item, EmitChunk)
        job = await imports.get(conn, item.import_id)
        if job is None or job.status is not ImportStatus.VALIDATING:
            return
        if not await still_open(conn, job):
            return
        context = EventContext.caused_by(event)
        await _plan_each_lookup(conn)
        await chunk_steps.emit(conn, outbox, context, job, item.first_row, item.last_row)
        if await imports.count_chunk_done(conn, job.import_id, "emitted"):
            await _complete(conn, outbox, context, job)

    return {ExtractRows.name: on_extract, ParseChunk.name: on_parse, EmitChunk.name: on_emit}


async def _plan_each_lookup(conn: asyncpg.Connection) -> None:
    """asyncpg prepares every statement, and after five runs Postgres may keep a generic plan
    that guesses 10 elements for any array: a chunk's `= ANY(10,000 numbers)` lookups then
    scan linearly (seen at 0.2 to 8 s per chunk). Plan each run for its own arrays."""
    await conn.execute("SET LOCAL plan_cache_mode = force_custom_plan")


async def _row_chunks(conn: asyncpg.Connection, job: Import, size: int) -> list[tuple[int, int]]:
    """Chunks over the import's row numbers (a file's start at 2 and may have gaps where
    blank lines were skipped); the same for both passes, so emit finds parse's results."""
    bounds = await conn.fetchrow(
        "SELECT min(row_number) AS first, max(row_number) AS last FROM import_rows WHERE import_id = $1",
        job.import_id,
    )
    if bounds["first"] is None:
        return []
    return chunks(bounds["first"], bounds["last"], size)


async def _complete(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext, job: Import
) -> None:
    await chunk_checks.forget(conn, job.import_id)
    found = await imports.status_counts(conn, job.import_id)
    counts = {status.value: found.get(status.value, 0) for status in RowStatus}
    await imports.update(
        conn, job.import_id, status=ImportStatus.COMPLETED.value, counts=counts, completed_at=_now()
    )
    event = ImportCompleted(
        import_id=job.import_id, owner_id=job.owner_id, total_rows=job.total_rows or 0,
        counts=ImportCounts(**counts),
    )  # fmt: skip
    await outbox.add(conn, [event], context)


def _now() -> datetime:
    return datetime.now(UTC)
