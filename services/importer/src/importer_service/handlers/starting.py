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

from importer_service.adapters import imports_repository as imports
from importer_service.adapters.match_quota import MatchQuota
from importer_service.adapters.work_queue import Chunking
from importer_service.domain.model import Import
from importer_service.handlers.chunk_window import queue_first
from importer_service.handlers.completion import complete

log = structlog.get_logger(__name__)


async def start_paid(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext, job: Import,
    quota: MatchQuota, chunking: Chunking,
) -> None:  # fmt: skip
    """Spend the owner's quota on the extracted `job`'s rows and queue its validation;
    LimitReached (429) when the quota does not cover them."""
    await quota.spend(conn, job.owner_id, job.total_rows or 0)
    await start_validation(conn, outbox, context, job, chunking)


async def start_once_read(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext, job: Import,
    quota: MatchQuota, chunking: Chunking,
) -> None:  # fmt: skip
    """The start asked for at upload, once the rows are read. Over the quota, the import waits
    `extracted` with error `rate_limited` (and when to retry), for `POST /start` later."""
    try:
        async with conn.transaction():  # a refusal leaves the quota as it was
            await start_paid(conn, outbox, context, job, quota, chunking)
    except LimitReached as refused:
        error = {"error": refused.code, "message": refused.message,
                 "retry_after": refused.retry_after}  # fmt: skip
        await imports.save(conn, job.start_refused(error))
        log.info("import.start_refused", import_id=str(job.import_id), wait=refused.retry_after)


async def start_validation(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext, job: Import, chunking: Chunking
) -> None:
    """Queue the first parse chunks of an extracted import (in the caller's transaction), on
    its lane; the others follow as they finish (chunk_window)."""
    parse = chunking.lane(job.total_rows).parse
    count = await queue_first(conn, outbox, context, job, chunking, parse)
    job = await imports.save(conn, job.started(count, datetime.now(UTC)))
    if not count:
        await complete(conn, outbox, context, job)
