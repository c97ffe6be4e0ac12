"""Reading an uploaded file into import rows with the confirmed column mapping (one worker
process reads it under memory and time limits and streams the rows back in batches: a
million-row file is never held in memory at once, and never in the service's own process).

A fault of the file found only now (deep in it: a NUL character, an unreadable sheet, a worker
stopped by its limits) ends the import `failed` with the reason, which the person sees on the
import: it is the answer to their upload, not a message to dead-letter. Anything else (a bug,
the database down) still raises, so the work item is retried and, at worst, dead-lettered.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import aclosing
from uuid import UUID

import asyncpg
import structlog

from importer_service.adapters import file_store
from importer_service.adapters import import_rows_repository as import_rows
from importer_service.adapters import imports_repository as imports
from importer_service.adapters.file_reader import FileReader
from importer_service.adapters.sources.mapping import ColumnMapping
from importer_service.adapters.sources.sniff import FileFormat, UnsupportedFile
from importer_service.domain.model import Import, ImportStatus

log = structlog.get_logger(__name__)
BYTES_PER_ROW_AT_LEAST = 10
"""A row of a list takes at least this many bytes of its file (a number and a line's end): a
file's size over it is as many rows as it may hold, which the chunk workers are told before
the first row is read (a compressed workbook's rows may take fewer: then they hear the count
as the rows come)."""
UNSTORABLE = (
    "A cell of the file holds characters that cannot be stored. Save the file again as CSV "
    "UTF-8 or .xlsx from your spreadsheet and upload it again."
)


async def extract_rows(
    conn: asyncpg.Connection, import_id: UUID, reader: FileReader,
    rows_expected: Callable[[int], None] = lambda _rows: None,
) -> None:  # fmt: skip
    """Store every row of the import's file; `rows_expected` hears how many it may hold before
    the first is read, then how many so far, batch by batch (the chunk workers start as soon as
    they may be needed: their start takes seconds, a workbook's extraction not many more)."""
    job = await imports.get(conn, import_id, for_update=True)
    if (
        job is None
        or job.status is not ImportStatus.EXTRACTING
        or job.mapping is None
        or not job.file_format
    ):
        return  # replaced, or already extracted by an earlier delivery
    fmt, mapping = FileFormat(job.file_format), ColumnMapping(**job.mapping)
    try:
        total = await _store_rows(conn, job, fmt, mapping, reader, rows_expected)
    except UnsupportedFile as error:
        await _fail(conn, job, error.code, error.message)
        return
    except asyncpg.exceptions.CharacterNotInRepertoireError:  # a NUL the reader let through
        await _fail(conn, job, "unstorable_text", UNSTORABLE)
        return
    await imports.save(conn, job.extracted(total))
    log.info("import.extracted", import_id=str(import_id), rows=total)


async def _store_rows(
    conn: asyncpg.Connection, job: Import, fmt: FileFormat, mapping: ColumnMapping,
    reader: FileReader, rows_expected: Callable[[int], None],
) -> int:  # fmt: skip
    """Every row, in a savepoint: a file refused half-way keeps none of its rows."""
    total = 0
    async with (
        file_store.local_copy(conn, job.import_id, f".{fmt.value}") as path,
        conn.transaction(),
        aclosing(reader.rows(path, fmt, job.sheet, mapping, job.encoding)) as batches,
    ):
        rows_expected(path.stat().st_size // BYTES_PER_ROW_AT_LEAST)
        async for rows in batches:
            await import_rows.insert_rows(conn, job.import_id, rows)
            total += len(rows)
            rows_expected(total)
    return total


async def _fail(conn: asyncpg.Connection, job: Import, code: str, message: str) -> None:
    await imports.save(conn, job.failed(code, message))
    log.info("import.failed", import_id=str(job.import_id), error=code)
