"""A window of work items per import and pass: at most `Chunking.window` of an import's
chunks wait on the work topic at once, and each finished chunk queues the next one.

Queuing every chunk of a million-row import at start put 105 items ahead of anything queued
later, so a paste or a second owner's list waited for the whole first pass (a paste took 48 s
beside a large import). With a window, an import queued later finds at most `window` items of
each running import ahead of it, and the partitions serve the imports in turn: two large
imports progress side by side.

Exactly once: the next chunk is queued in the step's own transaction, with the chunk counter
that step increments, so the step that counts the d-th chunk done of a pass queues chunk
d - 1 + window, and no other step does (a redelivered step whose transaction committed is
skipped by the inbox; one that did not commit queued nothing). The next item takes the
finished one's key, so its partition, and so the instance that freed the place, gets it.
"""

from __future__ import annotations

import asyncpg
from contacts_events import EventContext
from contacts_messaging.outbox import Outbox

from importer_service.adapters.work_queue import (
    EARLIER_SMALLEST_CHUNK_ROWS,
    Chunking,
    ChunkItem,
    chunk_rows,
    chunks,
    spread_keys,
)
from importer_service.domain.model import Import, ImportStatus


async def queue_first(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext, job: Import,
    chunking: Chunking, step: type[ChunkItem],
) -> tuple[int, int]:  # fmt: skip
    """Queue the first `chunking.window` chunks of a pass of `step` items (the import's lane,
    `Chunking.lane`); return how many chunks the pass has in all, and their rows each (what
    the start records as `Import.chunk_rows`)."""
    size, ranges = await row_chunks(conn, job, chunking)
    first = ranges[: chunking.window]
    keys = spread_keys(job.import_id, len(first), chunking.partitions)
    items = [step(import_id=job.import_id, first_row=a, last_row=b, spread_key=key,
                  window=chunking.window)
             for (a, b), key in zip(first, keys, strict=True)]  # fmt: skip
    await outbox.add(conn, items, context)
    return len(ranges), size


async def queue_next(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext, job: Import,
    chunking: Chunking, finished: ChunkItem, done: int,
) -> None:  # fmt: skip
    """After `finished`, the `done`-th chunk of its pass to finish, queue the chunk its window
    lets in now, if the pass has one."""
    if finished.window is None:
        return  # its pass was queued whole
    _, ranges = await row_chunks(conn, job, chunking)
    index = done - 1 + finished.window
    if index >= len(ranges):
        return
    first, last = ranges[index]
    following = type(finished)(
        import_id=job.import_id, first_row=first, last_row=last,
        spread_key=finished.spread_key, window=finished.window,
    )  # fmt: skip
    await outbox.add(conn, [following], context)


async def row_chunks(
    conn: asyncpg.Connection, job: Import, chunking: Chunking
) -> tuple[int, list[tuple[int, int]]]:
    """(rows per chunk, the chunks) over the import's row numbers (a file's start at 2 and may
    have gaps where blank lines were skipped); the same for both passes, so emit finds parse's
    results: an import keeps the chunk size of its start (`Import.chunk_rows`), whatever the
    settings or the release of the instance that runs a later step."""
    bounds = await conn.fetchrow(
        "SELECT min(row_number) AS first, max(row_number) AS last FROM import_rows WHERE import_id = $1",
        job.import_id,
    )
    if bounds["first"] is None:
        return 0, []
    size = _size(job, bounds["last"] - bounds["first"] + 1, chunking)
    return size, chunks(bounds["first"], bounds["last"], size)


def _size(job: Import, rows: int, chunking: Chunking) -> int:
    if job.chunk_rows is not None:
        return job.chunk_rows
    if job.status is ImportStatus.VALIDATING:  # started by a release that did not record it
        return chunk_rows(rows, chunking, EARLIER_SMALLEST_CHUNK_ROWS)
    return chunk_rows(rows, chunking)  # starting now
