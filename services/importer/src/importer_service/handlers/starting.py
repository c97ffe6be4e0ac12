"""Starting an import's validation: by "Import contacts" (`POST /start`), or by the pipeline
itself once the rows of a file uploaded with `start=true` are read. Either way the owner's
matching quota pays for the rows first (`MatchQuota`)."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg
import structlog
from contacts_events import EventContext
from contacts_messaging.outbox import Outbox
from contacts_servicekit.domain_errors import LimitReached

from importer_service.adapters.match_quota import MatchQuota
from importer_service.adapters.unit_of_work import PostgresImportsWork
from importer_service.adapters.work_queue import Chunking
from importer_service.domain.model import Import
from importer_service.handlers.ports import ImportsWork

log = structlog.get_logger(__name__)


async def start_paid(work: ImportsWork, job: Import) -> Import:
    """Spend the owner's quota on the extracted `job`'s rows and queue its validation;
    LimitReached (429) when the quota does not cover them."""
    await work.quota.spend(job.owner_id, job.total_rows or 0)
    return await start_validation(work, job)


async def start_validation(work: ImportsWork, job: Import) -> Import:
    """Queue the first parse chunks of an extracted import (in the caller's transaction), on
    its lane; the others follow as they finish (chunk_window). An import of no rows has no
    chunk to complete it: it completes now."""
    count, rows_each = await work.validation.queue_first_chunks(job)
    job = await work.imports.save(job.started(count, datetime.now(UTC), rows_each))
    if not count:
        await work.validation.complete(job)
    return job


async def start_once_read(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext, job: Import,
    quota: MatchQuota, chunking: Chunking,
) -> None:  # fmt: skip
    """The start asked for at upload, once the rows are read (a pipeline step's transaction).
    Over the quota, the import waits `extracted` with error `rate_limited` (and when to
    retry), for `POST /start` later."""
    work = PostgresImportsWork(conn, outbox, context, quota, chunking)
    try:
        async with conn.transaction():  # a refusal leaves the quota as it was
            await start_paid(work, job)
            await work.write_emitted()
    except LimitReached as refused:
        error = {"error": refused.code, "message": refused.message,
                 "retry_after": refused.retry_after}  # fmt: skip
        await work.imports.save(job.start_refused(error))
        log.info("import.start_refused", import_id=str(job.import_id), wait=refused.retry_after)
