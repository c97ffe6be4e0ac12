"""The end of an import's validation: its counts, `ImportCompleted`, and the invitations asked
for at upload (`invite=true`). Run by the step that emits the last chunk, in its transaction
with its inbox record, so it happens once: a redelivered step finds the import completed."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg
from contacts_events import EventContext, ImportCompleted, ImportCounts, RowStatus
from contacts_messaging.outbox import Outbox

from importer_service.adapters import chunk_checks
from importer_service.adapters import import_rows_repository as import_rows
from importer_service.adapters import imports_repository as imports
from importer_service.adapters.invitation_requests import PostgresInvitingWork
from importer_service.domain.model import Import
from importer_service.handlers.invitations import request_invitations


async def complete(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext, job: Import
) -> None:
    await chunk_checks.forget(conn, job.import_id)
    found = await import_rows.status_counts(conn, job.import_id)
    counts = {status.value: found.get(status.value, 0) for status in RowStatus}
    job = await imports.save(conn, job.completed(counts, datetime.now(UTC)))
    event = ImportCompleted(
        import_id=job.import_id, owner_id=job.owner_id, total_rows=job.total_rows or 0,
        counts=ImportCounts(**counts),
    )  # fmt: skip
    await outbox.add(conn, [event], context)
    if job.auto_invite:
        work = PostgresInvitingWork(conn)
        requested, skipped = await request_invitations(work, job, None)
        await work.write_events(outbox, context)
        await imports.save(conn, job.invited(requested, skipped))
