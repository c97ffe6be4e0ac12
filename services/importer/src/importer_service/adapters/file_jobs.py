"""What a file-reading worker does (see worker_process): look at an uploaded file, or read its
rows as the import stores them. This module runs in the worker, never in the service."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from importer_service.adapters.sources.errors import UnsupportedFile
from importer_service.adapters.sources.limits import SourceLimits
from importer_service.adapters.sources.mapping import ColumnMapping
from importer_service.adapters.sources.sniff import FileFormat
from importer_service.adapters.sources.stored_rows import RowReader, StoredRow
from importer_service.adapters.sources.table import SheetInfo
from importer_service.adapters.sources.tables import open_table

__all__ = ["Inspect", "ReadRows", "Refusal", "SheetInfo", "TableSummary", "read_file"]

SAMPLE_ROWS = 5
BATCH_ROWS = 20_000


@dataclass(frozen=True)
class Inspect:
    """The file's sheets, headers and first rows: those of the sheet chosen, else of the first
    sheet with a phone column (see `open_sheet`); a CSV file read in `encoding` when chosen."""

    path: Path
    fmt: FileFormat
    limits: SourceLimits
    sheet: str | None = None
    encoding: str | None = None


@dataclass(frozen=True)
class ReadRows:
    """Every row of the chosen sheet, mapped, `BATCH_ROWS` a message."""

    path: Path
    fmt: FileFormat
    limits: SourceLimits
    sheet: str | None
    mapping: ColumnMapping
    encoding: str | None = None


@dataclass(frozen=True)
class TableSummary:
    headers: list[str]
    sheets: list[SheetInfo]
    sheet: str | None
    sample: list[list[str]]  # each cell cut to the limit
    encoding: str | None  # a CSV file's text encoding
    rows: int  # rows holding something (blank ones aside)


@dataclass(frozen=True)
class Refusal:
    """The file was refused (an UnsupportedFile, which does not pickle: its code and sentence)."""

    code: str
    message: str


def read_file(request: Inspect | ReadRows) -> Iterator[TableSummary | list[StoredRow] | Refusal]:
    """The job: a summary, or batches of stored rows; a Refusal, last, when the file is refused."""
    try:
        if isinstance(request, Inspect):
            yield _summary(request)
        else:
            yield from _rows(request)
    except UnsupportedFile as error:
        yield Refusal(error.code, error.message)


def _summary(request: Inspect) -> TableSummary:
    with open_table(request.path, request.fmt, request.limits, request.sheet,
                    encoding=request.encoding, survey=True) as table:  # fmt: skip
        sample = next(iter(table.batches(SAMPLE_ROWS)), (0, []))[1]
    cut = request.limits.max_cell_chars
    rows = [[cell[:cut] for cell in row] for row in sample]
    return TableSummary(
        table.headers, table.sheets, table.sheet, rows, table.encoding, table.data_rows
    )


def _rows(request: ReadRows) -> Iterator[list[StoredRow]]:
    """The sheets' sizes were checked when the file was uploaded (the same bytes); should the
    file still be too much, the worker's memory limit stops it."""
    with open_table(request.path, request.fmt, request.limits, request.sheet,
                    sizes_checked=True, encoding=request.encoding) as table:  # fmt: skip
        reader = RowReader(table.headers, request.mapping, request.limits.max_cell_chars)
        for first_row, rows in table.batches(BATCH_ROWS):
            if stored := reader.stored(first_row, rows):
                yield stored
