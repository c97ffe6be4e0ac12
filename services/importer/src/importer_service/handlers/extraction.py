"""Reading an uploaded file into import rows with the confirmed column mapping (one worker,
streaming in batches: a million-row file is never held in memory at once)."""

from __future__ import annotations

from uuid import UUID

import asyncpg
import structlog

from importer_service.adapters import file_store
from importer_service.adapters import imports_repository as imports
from importer_service.adapters.sources.limits import SourceLimits
from importer_service.adapters.sources.mapping import ColumnMapping
from importer_service.adapters.sources.sniff import FileFormat, UnsupportedFile
from importer_service.adapters.sources.tables import open_table
from importer_service.domain.model import ImportStatus

log = structlog.get_logger(__name__)
BATCH_ROWS = 20_000
LIMITS = SourceLimits()


async def extract_rows(
    conn: asyncpg.Connection, import_id: UUID, limits: SourceLimits = LIMITS
) -> None:
    job = await imports.get(conn, import_id, for_update=True)
    if (
        job is None
        or job.status is not ImportStatus.EXTRACTING
        or job.mapping is None
        or not job.file_format
    ):
        return  # replaced, or already extracted by an earlier delivery
    mapping = ColumnMapping(**job.mapping)
    fmt = FileFormat(job.file_format)
    total = 0
    try:
        async with file_store.local_copy(conn, import_id, f".{fmt.value}") as path:
            table = open_table(path, fmt, limits, job.sheet)
            for first_row, rows in table.batches(BATCH_ROWS):
                await imports.insert_rows(
                    conn,
                    import_id,
                    [_fields(first_row + i, r, mapping) for i, r in enumerate(rows)],
                )
                total += len(rows)
    except UnsupportedFile as error:  # found only now, deep in the file: say so, keep nothing
        await conn.execute("DELETE FROM import_rows WHERE import_id = $1", import_id)
        await imports.update(
            conn,
            import_id,
            status=ImportStatus.FAILED.value,
            error={"error": error.code, "message": error.message},
        )
        return
    await imports.update(conn, import_id, status=ImportStatus.EXTRACTED.value, total_rows=total)
    log.info("import.extracted", import_id=str(import_id), rows=total)


def _fields(row_number: int, cells: list[str], mapping: ColumnMapping) -> tuple[object, ...]:
    def cell(index: int | None) -> str | None:
        if index is None or index >= len(cells):
            return None
        return cells[index].strip() or None

    return (
        row_number, cell(mapping.phone) or "", cell(mapping.display_name), cell(mapping.first_name),
        cell(mapping.last_name), cell(mapping.email), cell(mapping.country),
    )  # fmt: skip
