"""Opening an uploaded file as a table of text rows, whatever its format."""

from __future__ import annotations

from pathlib import Path

from importer_service.adapters.sources.csv_table import open_csv
from importer_service.adapters.sources.excel_table import open_sheet
from importer_service.adapters.sources.limits import SourceLimits, check_archive, check_file_size
from importer_service.adapters.sources.sniff import FileFormat
from importer_service.adapters.sources.table import Batch, Table

__all__ = ["Batch", "Table", "open_table"]


def open_table(
    path: Path, fmt: FileFormat, limits: SourceLimits, sheet: str | int | None = None, *,
    sizes_checked: bool = False, encoding: str | None = None, survey: bool = False,
) -> Table:  # fmt: skip
    """The file at `path` (whose format `detect_format` told) as a table: a CSV file (read in
    `encoding` when chosen, else in the one detected), or the chosen sheet of a workbook (the
    first by default; `sheet` is a name or a 0-based index; `survey`: see `open_sheet`).
    Raises `UnsupportedFile` (or one of its kinds in `limits`) with a reason a person can act
    on: too big, a zip bomb, a sheet too large, empty, a header but no rows, too many rows or
    columns, a quote never closed, an unreadable workbook, no such sheet. `sizes_checked`: the
    workbook's sheets were measured before (the same file, when it was uploaded). Close the
    table (or use it as a context manager) to remove the UTF-8 copy of a CSV file that was not
    UTF-8."""
    check_file_size(path, limits)
    if fmt is FileFormat.CSV:
        return open_csv(path, limits, encoding)
    if fmt in (FileFormat.XLSX, FileFormat.ODS):
        check_archive(path, limits)
    return open_sheet(path, fmt, limits, sheet, sizes_checked=sizes_checked, survey=survey)
