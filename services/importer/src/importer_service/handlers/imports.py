"""Use cases of the person importing: paste numbers, start an import ("Import contacts"), read
and list imports, and the rule that an import is its owner's alone (uploads: `uploads`;
columns: `mapping`; invitations: `invitations`; rows: `row_pages`; what comes after:
`results`). Paste, start, read and list take the unit of work of `ports.py`; `owned` and
`with_rows` serve the use cases still on a connection."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg
from contacts_events import ImportSource, ImportStarted
from contacts_servicekit.domain_errors import Conflicting, Missing, Purged, Refused

from importer_service.adapters import imports_repository as imports
from importer_service.adapters.sources.limits import SourceLimits
from importer_service.adapters.sources.pasted import split_pasted
from importer_service.domain.model import Import, ImportStatus, NewImport
from importer_service.domain.retention import ROWS_PURGED, ImportRetention
from importer_service.handlers.ports import ImportsWork
from importer_service.handlers.regions import default_region
from importer_service.handlers.starting import start_paid


async def owned(
    conn: asyncpg.Connection, owner_id: uuid.UUID, import_id: uuid.UUID, *, for_update: bool = False
) -> Import:
    """The owner's import; anyone else's is 404, never 403."""
    return mine(await imports.get(conn, import_id, for_update=for_update), owner_id)


async def read(
    work: ImportsWork, owner_id: uuid.UUID, import_id: uuid.UUID, *, for_update: bool = False
) -> Import:
    """The owner's import (`owned`, through the unit of work)."""
    return mine(await work.imports.get(import_id, for_update=for_update), owner_id)


def mine(job: Import | None, owner_id: uuid.UUID) -> Import:
    """`job` if it is the owner's: Missing (404) for anyone else's, as for none at all, so
    that nobody learns which ids exist."""
    if job is None or job.owner_id != owner_id:
        raise Missing("import_not_found", "You have no import with this id.")
    return job


async def page(
    work: ImportsWork, owner_id: uuid.UUID, limit: int, before: tuple[datetime, uuid.UUID] | None
) -> tuple[list[Import], Import | None]:
    """Up to `limit` of the owner's imports, newest first, after `before`; and the last of
    them when more follow (the next page starts after it)."""
    found = await work.imports.list_for_owner(owner_id, limit + 1, before)
    return found[:limit], found[limit - 1] if len(found) > limit else None


async def with_rows(
    conn: asyncpg.Connection, owner_id: uuid.UUID, import_id: uuid.UUID,
    retention: ImportRetention,
) -> Import:  # fmt: skip
    """The owner's import, whose rows are still kept (410 once its retention has passed)."""
    return rows_kept(await owned(conn, owner_id, import_id), retention)


def rows_kept(job: Import, retention: ImportRetention) -> Import:
    """`job`, unless its rows and file are past their retention: 410 `import_rows_purged`,
    whose sentence says how long they are kept and where the counts still are."""
    if retention.rows_gone(job, datetime.now(UTC)):
        raise Purged(ROWS_PURGED, retention.gone_message(job.import_id))
    return job


async def paste(
    work: ImportsWork, owner_id: uuid.UUID, text: str, region: str | None, limits: SourceLimits,
    fallback_region: str,
) -> Import:  # fmt: skip
    """Pasted numbers become an import whose statuses are computed at once (the owner's
    quota pays for them: 429 over it, and nothing is kept)."""
    numbers = split_pasted(text)
    if not numbers:
        raise Refused("no_numbers", "No phone number was found in the text.", "text")
    if len(numbers) > limits.max_rows:
        raise Refused(
            "too_many_rows",
            f"At most {limits.max_rows} numbers at once; nothing was imported.",
            "text",
        )
    import_id = uuid.uuid4()
    region = await default_region(work.owners, owner_id, region, fallback_region)
    new = NewImport(import_id, owner_id, "pasted", ImportStatus.EXTRACTED, region, len(numbers))
    await work.imports.create(new)
    await work.imports.insert_rows(
        import_id,
        [(i, n[:1000], None, None, None, None, None, None, None) for i, n in enumerate(numbers, 1)],
    )
    work.emit(ImportStarted(
        import_id=import_id, owner_id=owner_id, source=ImportSource.PASTED, total_rows=len(numbers)
    ))  # fmt: skip
    await start_paid(work, await read(work, owner_id, import_id))
    return await read(work, owner_id, import_id)


async def start(work: ImportsWork, owner_id: uuid.UUID, import_id: uuid.UUID) -> Import:
    """ "Import contacts": compute every row's status, the owner's quota paying for the rows
    (429 over it; the import can be started again later). Idempotent once started."""
    job = await read(work, owner_id, import_id, for_update=True)
    if job.status in (ImportStatus.VALIDATING, ImportStatus.COMPLETED):
        return job
    if job.status is not ImportStatus.EXTRACTED:
        raise Conflicting(
            "import_not_ready", f"The import cannot start while it is {job.status.value}."
        )
    await start_paid(work, job)
    return await read(work, owner_id, import_id)
