""" "Next": confirm or correct the columns of an uploaded file, and read its rows for review.

The person may first pick another sheet of the workbook, or another text encoding of the CSV
file: the stored file is read again (in a worker process, holding no transaction meanwhile)
and its headers, column guess and sample rows change. Without columns given, the import then
waits for them (`uploaded`); with them, its rows are read at once.
"""

from __future__ import annotations

import tempfile
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from contacts_servicekit.domain_errors import Conflicting, Refused

from importer_service.adapters.file_reader import TableSummary
from importer_service.adapters.sources.mapping import guess_mapping
from importer_service.adapters.sources.sniff import FileFormat
from importer_service.adapters.work_queue import ExtractRows
from importer_service.domain.model import Import, ImportStatus
from importer_service.domain.retention import EXPIRED, ImportRetention
from importer_service.handlers.columns import mapping_by_headers
from importer_service.handlers.imports import read, rows_kept
from importer_service.handlers.ports import ImportsWork, Reader, Transactions
from importer_service.handlers.regions import checked_region
from importer_service.handlers.uploads import UploadRequest, checked_request, summary

CHANGEABLE = (ImportStatus.UPLOADED, ImportStatus.EXTRACTED, ImportStatus.FAILED)


@dataclass(frozen=True)
class ColumnsChoice:
    columns: dict[str, str | None] | None  # field -> header; None: not given (phone left out)
    sheet: str | None = None  # read another sheet of the workbook
    encoding: str | None = None  # read the CSV file in another encoding
    default_region: str | None = None


async def confirm_columns(
    transactions: Transactions, reader: Reader, owner_id: uuid.UUID, import_id: uuid.UUID,
    choice: ColumnsChoice, retention: ImportRetention,
) -> tuple[Import, list[list[str]]]:  # fmt: skip
    """The import with the choice applied, and the sample rows when the file was read again
    ([] otherwise). 409 once the import has started or expired, 410 once a failed import's
    file is past its retention; 422 naming the field at fault."""
    rereading = choice.sheet is not None or choice.encoding is not None
    if choice.columns is None and not rereading:
        raise Refused("phone_required", "Say which column holds the phone numbers.", "phone")
    region = checked_region(choice.default_region) if choice.default_region else None
    table = (
        await _read_again(transactions, reader, owner_id, import_id, choice, retention)
        if rereading
        else None
    )
    async with transactions.begin() as work:
        job = _changeable(await read(work, owner_id, import_id, for_update=True), retention)
        if table is not None:
            job = await _with_table(work, job, table)
        if choice.columns is not None:
            job = await _confirmed(work, job, choice.columns, region)
        elif region:
            await work.imports.save(job.in_region(region))
        return await read(work, owner_id, import_id), table.sample if table else []


async def _read_again(
    transactions: Transactions, reader: Reader, owner_id: uuid.UUID, import_id: uuid.UUID,
    choice: ColumnsChoice, retention: ImportRetention,
) -> TableSummary:  # fmt: skip
    request = UploadRequest("", sheet=choice.sheet, encoding=choice.encoding)
    encoding = checked_request(request).encoding
    with tempfile.TemporaryDirectory(prefix="reread-") as folder:
        async with transactions.begin() as work:  # ended before the file is read
            job = _changeable(await read(work, owner_id, import_id), retention)
            fmt = FileFormat(job.file_format or "csv")
            path = Path(folder) / f"upload.{fmt.value}"
            await work.files.copy_to(import_id, path)
        return await summary(reader, path, fmt, choice.sheet, encoding)


def _changeable(job: Import, retention: ImportRetention) -> Import:
    """The import, if its columns may change: not started, and its file still there (an
    expired upload's is deleted at once, a failed import's after its retention)."""
    if job.status not in CHANGEABLE or job.source != "file":
        raise Conflicting("import_started", "The columns can no longer be changed for this import.")
    if job.error is not None and job.error.get("error") == EXPIRED:
        raise Conflicting(EXPIRED, str(job.error["message"]))
    return rows_kept(job, retention)


async def _with_table(work: ImportsWork, job: Import, table: TableSummary) -> Import:
    """The import back to `uploaded` with the sheet or encoding read again (its rows, if any
    were read, forgotten)."""
    await work.imports.forget_rows(job.import_id)
    return await work.imports.save(job.read_again(
        [asdict(s) for s in table.sheets], table.sheet, table.encoding, table.headers,
        asdict(guess_mapping(table.headers)),
    ))  # fmt: skip


async def _confirmed(
    work: ImportsWork, job: Import, columns: dict[str, str | None], region: str | None
) -> Import:
    """The columns confirmed; the rows are then read from the file for review."""
    mapping = mapping_by_headers(columns, job.headers)
    await work.imports.forget_rows(job.import_id)
    job = await work.imports.save(
        job.columns_confirmed(asdict(mapping), region or job.default_region)
    )
    work.emit(ExtractRows(import_id=job.import_id))
    return job
