"""A sheet of an .xls, .xlsx or .ods workbook, read with fastexcel (calamine, in Rust).

Every cell is read as the text of its value (dtypes "string"): a number cell holding
33612345678 reads "33612345678", never "33612345678.0" or "3.36e10" (a phone typed as a number
has already lost its leading + or 0 in the workbook: what is there is kept). The sheet is loaded
once into an Arrow-backed polars frame, whose batches become Python lists one at a time: calamine
parses a whole sheet on every load, so reading it in `skip_rows`/`n_rows` slices costs a full
parse per slice (measured: 20 slices of a 1M-row sheet took 44 s and 680 MB; one load 6 s and
400 MB).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import fastexcel
import polars as pl

from importer_service.adapters.sources.errors import UnsupportedFile, unreadable_workbook
from importer_service.adapters.sources.headers import header_names, texts
from importer_service.adapters.sources.limits import SourceLimits, TooManyColumns, TooManyRows
from importer_service.adapters.sources.mapping import has_phone_column
from importer_service.adapters.sources.sheet_sizes import check_sheet_sizes
from importer_service.adapters.sources.sniff import FileFormat
from importer_service.adapters.sources.table import DEFAULT_BATCH_ROWS, Batch, SheetInfo, Table


class SheetTable(Table):
    def __init__(
        self, frame: pl.DataFrame, sheets: list[SheetInfo], sheet: str, limits: SourceLimits
    ) -> None:  # fmt: skip
        non_blank = _non_blank_rows(frame)
        if non_blank.is_empty():
            raise UnsupportedFile("empty_file", f'The sheet "{sheet}" is empty.')
        header_index = int(non_blank[0])
        if len(non_blank) == 1:
            raise UnsupportedFile("no_rows", f'The sheet "{sheet}" has a header row but no rows.')
        if len(non_blank) - 1 > limits.max_rows:  # blank rows do not count
            raise TooManyRows(limits.max_rows)
        headers = header_names(frame.row(header_index))
        super().__init__(headers, sheets, sheet, data_rows=len(non_blank) - 1)
        self._rows = frame.slice(header_index + 1)
        self._first_row_number = header_index + 2

    def batches(self, size: int = DEFAULT_BATCH_ROWS) -> Iterator[Batch]:
        for offset in range(0, self._rows.height, size):
            rows = self._rows.slice(offset, size).rows()
            yield self._first_row_number + offset, texts(rows, len(self.headers))

    def row_count(self) -> int:
        return self._rows.height


def open_sheet(
    path: Path, fmt: FileFormat, limits: SourceLimits, sheet: str | int | None, *,
    sizes_checked: bool = False, survey: bool = False,
) -> SheetTable:  # fmt: skip
    """The chosen sheet of the workbook at `path` (a name or a 0-based index; None: the first),
    once every sheet's grid is known to be within the limits (see sheet_size). `survey`: every
    sheet's header row is read, to tell which have a phone column (`SheetTable.sheets`), and
    with no sheet chosen the first that has one is read, since a workbook often starts with
    notes."""
    if not sizes_checked:
        check_sheet_sizes(path, fmt, limits)
    with _workbook(path, fmt) as reader:
        names = list(reader.sheet_names)
        if not names:
            raise UnsupportedFile("empty_file", "The workbook has no sheet.")
        wanted = None if sheet is None else _sheet_index(names, sheet)
        if survey:
            return _surveyed(reader, names, wanted, limits)
        index = 0 if wanted is None else wanted
        return SheetTable(_load(reader, index, names, limits), [], names[index], limits)


def _surveyed(
    reader: fastexcel.ExcelReader, names: list[str], wanted: int | None, limits: SourceLimits
) -> SheetTable:
    """Every sheet's header row read; the wanted sheet kept, else the first with a phone column,
    else the first (one frame at a time besides it, so memory is at most two sheets')."""
    sheets: list[SheetInfo] = []
    kept: dict[int, pl.DataFrame] = {}
    for index, name in enumerate(names):
        frame = _load(reader, index, names, limits)
        sheets.append(SheetInfo(name, has_phone_column(_header(frame))))
        if not kept and (index == wanted or (wanted is None and sheets[-1].has_phone_column)):
            kept[index] = frame
    index = next(iter(kept), 0)
    frame = kept[index] if kept else _load(reader, 0, names, limits)
    return SheetTable(frame, sheets, names[index], limits)


@contextmanager
def _workbook(path: Path, fmt: FileFormat) -> Iterator[fastexcel.ExcelReader]:
    try:
        with tempfile.TemporaryDirectory(prefix="sheet-") as folder:
            yield fastexcel.read_excel(_named_as(path, fmt, Path(folder)))
    except fastexcel.FastExcelError as error:
        raise unreadable_workbook(str(error).split("\n", 1)[0]) from None


def _load(
    reader: fastexcel.ExcelReader, index: int, names: list[str], limits: SourceLimits
) -> pl.DataFrame:
    loaded = reader.load_sheet(index, header_row=None, skip_rows=0, dtypes="string")
    if loaded.width > limits.max_columns:
        raise TooManyColumns(loaded.width, limits.max_columns, names[index])
    return loaded.to_polars()


def _non_blank_rows(frame: pl.DataFrame) -> pl.Series:
    filled = pl.all().fill_null("").str.strip_chars().str.len_bytes() > 0
    return frame.select(pl.any_horizontal(filled)).to_series().arg_true()


def _header(frame: pl.DataFrame) -> list[str]:
    """The names of the sheet's header row (its first non-blank one); [] for an empty sheet."""
    non_blank = _non_blank_rows(frame)
    return [] if non_blank.is_empty() else header_names(frame.row(int(non_blank[0])))


def _named_as(path: Path, fmt: FileFormat, folder: Path) -> Path:
    """`path`, or a link to it named with its format's extension: calamine picks its reader by
    the extension, and an upload's temporary file may have none."""
    if path.suffix.lower() == f".{fmt.value}":
        return path
    link = folder / f"workbook.{fmt.value}"
    link.symlink_to(path.resolve())
    return link


def _sheet_index(names: list[str], sheet: str | int) -> int:
    """The index of the sheet named `sheet` (ignoring case and spaces around), or at `sheet`."""
    if isinstance(sheet, int) and 0 <= sheet < len(names):
        return sheet
    if isinstance(sheet, str):
        wanted = sheet.strip().casefold()
        for index, name in enumerate(names):
            if name.strip().casefold() == wanted:
                return index
    listed = ", ".join(f'"{name}"' for name in names[:50])
    raise UnsupportedFile("sheet_not_found", f"There is no sheet {sheet!r}; the sheets: {listed}.")
