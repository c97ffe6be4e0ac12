"""Use cases of the person importing: paste numbers, upload a list, confirm the columns,
review, import, invite the ready rows."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from pathlib import Path

import asyncpg
from contacts_events import EventContext, ImportSource, ImportStarted
from contacts_messaging.outbox import Outbox
from contacts_servicekit.errors import Conflict, Invalid, NotFound

from importer_service.adapters import file_store
from importer_service.adapters import imports_repository as imports
from importer_service.adapters.file_reader import FileReader, TableSummary
from importer_service.adapters.sources.limits import SourceLimits
from importer_service.adapters.sources.mapping import (
    ColumnMapping,
    MappingError,
    guess_mapping,
    validate_mapping,
)
from importer_service.adapters.sources.pasted import split_pasted
from importer_service.adapters.sources.sniff import FileFormat, UnsupportedFile, detect_format
from importer_service.adapters.work_queue import ExtractRows
from importer_service.domain.model import Import, ImportStatus
from importer_service.handlers.pipeline import start_validation


async def owned(
    conn: asyncpg.Connection, owner_id: uuid.UUID, import_id: uuid.UUID, *, for_update: bool = False
) -> Import:
    """The owner's import; anyone else's is 404, never 403."""
    job = await imports.get(conn, import_id, for_update=for_update)
    if job is None or job.owner_id != owner_id:
        raise NotFound("import_not_found", "You have no import with this id.")
    return job


async def paste(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext, owner_id: uuid.UUID,
    text: str, region: str, limits: SourceLimits, chunk_size: int,
) -> Import:  # fmt: skip
    """Pasted numbers become an import whose statuses are computed at once."""
    numbers = split_pasted(text)
    if not numbers:
        raise Invalid("no_numbers", "No phone number was found in the text.", "text")
    if len(numbers) > limits.max_rows:
        raise Invalid(
            "too_many_rows",
            f"At most {limits.max_rows} numbers at once; nothing was imported.",
            "text",
        )
    import_id = uuid.uuid4()
    await imports.create(
        conn, import_id=import_id, owner_id=owner_id, source="pasted", default_region=region,
        status=ImportStatus.EXTRACTED.value, total_rows=len(numbers),
    )  # fmt: skip
    await imports.insert_rows(
        conn,
        import_id,
        [(i, n[:1000], None, None, None, None, None, None, None) for i, n in enumerate(numbers, 1)],
    )
    started = ImportStarted(
        import_id=import_id, owner_id=owner_id, source=ImportSource.PASTED, total_rows=len(numbers)
    )
    await outbox.add(conn, [started], context)
    job = await owned(conn, owner_id, import_id)
    await start_validation(conn, outbox, context, job, chunk_size)
    return await owned(conn, owner_id, import_id)


async def inspect(reader: FileReader, path: Path, filename: str) -> tuple[FileFormat, TableSummary]:
    """What the file is (by its content), its first sheet's headers and a few rows, read in a
    worker process; 422 naming the problem for anything that is not a readable list. Done
    before any transaction: a large file holds no database connection while it is read."""
    try:
        with path.open("rb") as head:
            fmt = detect_format(head.read(8192), filename)
        return fmt, await reader.inspect(path, fmt)
    except UnsupportedFile as error:
        raise Invalid(error.code, error.message, "file") from None


async def upload(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext, owner_id: uuid.UUID,
    path: Path, filename: str, inspected: tuple[FileFormat, TableSummary], region: str,
    replaces: uuid.UUID | None,
) -> Import:  # fmt: skip
    """Store an inspected list and guess its columns."""
    fmt, table = inspected
    mapping = guess_mapping(table.headers)
    if replaces is not None:
        await _replace(conn, owner_id, replaces)
    import_id = uuid.uuid4()
    await imports.create(
        conn, import_id=import_id, owner_id=owner_id, source="file", filename=filename[:255],
        file_format=fmt.value, sheets=table.sheets, sheet=table.sheet, headers=table.headers,
        mapping=asdict(mapping), default_region=region, status=ImportStatus.UPLOADED.value,
        replaces=replaces,
    )  # fmt: skip
    with path.open("rb") as source:
        await file_store.save(conn, import_id, source)
    started = ImportStarted(
        import_id=import_id, owner_id=owner_id, source=ImportSource.FILE, filename=filename[:255]
    )
    await outbox.add(conn, [started], context)
    return await owned(conn, owner_id, import_id)


async def confirm_mapping(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext, owner_id: uuid.UUID,
    import_id: uuid.UUID, mapping: ColumnMapping | None, region: str | None,
) -> Import:  # fmt: skip
    """Confirm (or correct) the columns; the rows are then read from the file for review."""
    job = await owned(conn, owner_id, import_id, for_update=True)
    if (
        job.status not in (ImportStatus.UPLOADED, ImportStatus.EXTRACTED, ImportStatus.FAILED)
        or job.source != "file"
    ):
        raise Conflict("import_started", "The columns can no longer be changed for this import.")
    chosen = mapping or ColumnMapping(**(job.mapping or {}))
    _check_mapping(chosen, job.headers)
    await conn.execute("DELETE FROM import_rows WHERE import_id = $1", import_id)
    await imports.update(
        conn, import_id, mapping=asdict(chosen), status=ImportStatus.EXTRACTING.value, error=None,
        default_region=region or job.default_region, total_rows=None,
    )  # fmt: skip
    await outbox.add(conn, [ExtractRows(import_id=import_id)], context)
    return await owned(conn, owner_id, import_id)


async def start(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext, owner_id: uuid.UUID,
    import_id: uuid.UUID, chunk_size: int,
) -> Import:  # fmt: skip
    """ "Import contacts": compute every row's status."""
    job = await owned(conn, owner_id, import_id, for_update=True)
    if job.status in (ImportStatus.VALIDATING, ImportStatus.COMPLETED):
        return job  # idempotent
    if job.status is not ImportStatus.EXTRACTED:
        raise Conflict(
            "import_not_ready", f"The import cannot start while it is {job.status.value}."
        )
    await start_validation(conn, outbox, context, job, chunk_size)
    return await owned(conn, owner_id, import_id)


def _check_mapping(mapping: ColumnMapping, headers: list[str]) -> None:
    try:
        validate_mapping(mapping, headers)
    except MappingError as error:
        raise Invalid(error.code, error.message, "mapping") from None


async def _replace(conn: asyncpg.Connection, owner_id: uuid.UUID, previous: uuid.UUID) -> None:
    """ "Back" with a corrected file: the previous import stops where it is (nothing it already
    added or invited is undone; the new import sees it and will not repeat it)."""
    job = await owned(conn, owner_id, previous, for_update=True)
    if job.status not in (ImportStatus.VALIDATING, ImportStatus.COMPLETED):
        await imports.mark_status(conn, previous, ImportStatus.REPLACED)
        await file_store.delete(conn, previous)
