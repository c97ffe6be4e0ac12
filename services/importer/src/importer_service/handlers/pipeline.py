"""The validation pipeline, run by the importer workers (consumer group `importer.workers`).

    (file) ExtractRows -> rows stored (-> start, when asked for at upload: `starting`)
    start  -> ParseChunk x N   (parallel: numbers parsed and checked; invalid rows final)
    last ParseChunk -> EmitChunk x N   (parallel: final statuses, ImportRowValidated events;
                       an import of one chunk: in the parse step itself)
    (at most `Chunking.window` chunks of a pass queued at once, each finished one queuing the
     next: `chunk_window`; small imports on the express topic: `Chunking.lane`)
    last EmitChunk  -> ImportCompleted with the counts (-> invitations, when asked for at
                       upload: `completion`)

Parsing must finish for the whole import before any status is final, because "duplicate in
this import" points at the first row with the number, which may be in any chunk. Every step
is one transaction with the inbox, the row updates and the events it emits, so a worker
killed anywhere leaves either nothing or a finished step behind.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
from contacts_events import EventContext
from contacts_events.envelope import CloudEvent
from contacts_messaging.handlers import EventHandlers
from contacts_messaging.outbox import Outbox
from contacts_messaging.producer_settings import ProducerSettings

from importer_service.adapters import chunk_checks
from importer_service.adapters import imports_repository as imports
from importer_service.adapters.chunk_workers import ChunkWorkers
from importer_service.adapters.file_reader import FileReader
from importer_service.adapters.match_quota import MatchQuota
from importer_service.adapters.work_queue import (
    Chunking,
    ChunkItem,
    EmitChunk,
    ExtractRows,
    ParseChunk,
)
from importer_service.domain.model import Import, ImportStatus
from importer_service.handlers import chunk_steps
from importer_service.handlers.chunk_window import queue_first, queue_next
from importer_service.handlers.closures import still_open
from importer_service.handlers.completion import complete
from importer_service.handlers.extraction import extract_rows
from importer_service.handlers.starting import start_once_read


@dataclass(frozen=True)
class Pipeline:
    """What the steps need besides their connection: bound once by the service's wiring."""

    outbox: Outbox
    chunking: Chunking
    workers: ChunkWorkers
    reader: FileReader
    quota: MatchQuota
    packing: ProducerSettings  # how the bulk rows' record batches are built (the producers')


steps = EventHandlers[Pipeline]()
"""Group `importer.workers` (and the express lane's `importer.express`): one step per item."""


@steps.on(ExtractRows)
async def extract(
    item: ExtractRows, event: CloudEvent, conn: asyncpg.Connection, run: Pipeline
) -> None:
    await extract_rows(conn, item.import_id, run.reader, run.workers.prepare_for)
    job = await imports.get(conn, item.import_id)
    # checked after the reading: a closure meanwhile waited for nothing
    if job is None or not await still_open(conn, job):
        return
    if job.auto_start and job.status is ImportStatus.EXTRACTED:
        context = EventContext.caused_by(event)
        await start_once_read(conn, run.outbox, context, job, run.quota, run.chunking)


@steps.on(ParseChunk)
async def parse(
    item: ParseChunk, event: CloudEvent, conn: asyncpg.Connection, run: Pipeline
) -> None:
    job = await _validating(conn, item)
    if job is None:
        return
    rows = await chunk_steps.parse(conn, job, item.first_row, item.last_row, run.workers)
    done, count = await imports.count_chunk_done(conn, job.import_id, "parsed", rows, {})
    context = EventContext.caused_by(event)
    if done < count:
        await queue_next(conn, run.outbox, context, job, run.chunking, item, done)
        return
    await chunk_checks.find_duplicates(conn, job.import_id)
    if count == 1:  # a paste, a short list: its statuses in this same step, a hop less
        await _emit_counted(conn, run, context, job, item)
        return
    emit = run.chunking.lane(job.total_rows).emit
    await queue_first(conn, run.outbox, context, job, run.chunking, emit)


@steps.on(EmitChunk)
async def emit(item: EmitChunk, event: CloudEvent, conn: asyncpg.Connection, run: Pipeline) -> None:
    job = await _validating(conn, item)
    if job is not None:
        await _emit_counted(conn, run, EventContext.caused_by(event), job, item)


async def _validating(conn: asyncpg.Connection, item: ChunkItem) -> Import | None:
    """The item's import while it is still validating and its owner's account open (else
    None: replaced or failed meanwhile, its owner's account closed, say), its lookups planned
    for this chunk."""
    job = await imports.get(conn, item.import_id)
    if job is None or job.status is not ImportStatus.VALIDATING:
        return None
    if not await still_open(conn, job):
        return None
    await _plan_each_lookup(conn)
    return job


async def _emit_counted(
    conn: asyncpg.Connection, run: Pipeline, context: EventContext, job: Import, item: ChunkItem
) -> None:
    """The emit step of `item`'s rows, counted; the next chunk queued, or the import completed
    after its last."""
    counts = await chunk_steps.emit(
        conn, run.outbox, context, job, item.first_row, item.last_row, run.workers, run.packing
    )
    rows = sum(counts.values())
    done, count = await imports.count_chunk_done(conn, job.import_id, "emitted", rows, counts)
    if done < count:
        await queue_next(conn, run.outbox, context, job, run.chunking, item, done)
    else:
        await complete(conn, run.outbox, context, job)


async def _plan_each_lookup(conn: asyncpg.Connection) -> None:
    """asyncpg prepares every statement, and after five runs Postgres may keep a generic plan
    that guesses 10 elements for any array: a chunk's `= ANY(10,000 numbers)` lookups then
    scan linearly (seen at 0.2 to 8 s per chunk). Plan each run for its own arrays."""
    await conn.execute("SET LOCAL plan_cache_mode = force_custom_plan")
