"""Every sheet of a workbook measured before the workbook is opened (see sheet_size)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from importer_service.adapters.sources.errors import unreadable_workbook
from importer_service.adapters.sources.limits import SourceLimits
from importer_service.adapters.sources.ods_size import ods_sizes
from importer_service.adapters.sources.sheet_size import SheetSize
from importer_service.adapters.sources.sniff import FileFormat
from importer_service.adapters.sources.xls_size import xls_sizes
from importer_service.adapters.sources.xlsx_size import xlsx_sizes

MEASURES: dict[FileFormat, Callable[[Path, SourceLimits], Iterator[SheetSize]]] = {
    FileFormat.XLSX: xlsx_sizes,
    FileFormat.ODS: ods_sizes,
    FileFormat.XLS: xls_sizes,
}


def check_sheet_sizes(path: Path, fmt: FileFormat, limits: SourceLimits) -> list[SheetSize]:
    """Every sheet's size; `TooManyCells` or `TooManyColumns` naming the first sheet over the
    limits. All are measured, not only the one to read: the .ods and .xls readers build every
    sheet as they open the file."""
    try:
        return list(MEASURES[fmt](path, limits))
    except ValueError as error:  # a cell reference or a repeat count that is not one
        raise unreadable_workbook(str(error)) from None
