"""A CSV file as a table, streamed: never held whole in Python objects.

Opening it detects its encoding and delimiter, re-encodes it to UTF-8 into a temporary file if
need be, then counts its records in one pass of polars (in Rust), so the row limit and "no rows"
are known before a single row is handed over.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from importer_service.adapters.sources.csv_dialect import CsvDialect, detect_csv
from importer_service.adapters.sources.csv_readers import CsvRecords, PolarsRecords, PythonRecords
from importer_service.adapters.sources.errors import UnsupportedFile
from importer_service.adapters.sources.headers import header_names, texts
from importer_service.adapters.sources.limits import SourceLimits, TooManyColumns, TooManyRows
from importer_service.adapters.sources.table import DEFAULT_BATCH_ROWS, Batch, Table
from importer_service.adapters.sources.utf8_source import utf8_source

HEAD_BYTES = 256 * 1024
BLANK_BYTES = b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"  # whitespace, NULs of UTF-16, byte-order marks


class CsvTable(Table):
    def __init__(
        self, path: Path, dialect: CsvDialect, limits: SourceLimits, *, temporary: bool,
        encoding: str,
    ) -> None:  # fmt: skip
        self._records, records, non_blank = _counted(path, dialect)
        header = self._records.header()
        if len(header) > limits.max_columns:
            raise TooManyColumns(len(header), limits.max_columns)
        filled_rows = non_blank - any((cell or "").strip() for cell in header)
        if filled_rows > limits.max_rows:  # blank lines do not count
            raise TooManyRows(limits.max_rows)
        if filled_rows == 0:
            raise UnsupportedFile("no_rows", "The file has a header row but no rows.")
        super().__init__(header_names(header), [], None, encoding=encoding, data_rows=filled_rows)
        self._rows = records - 1
        self._header_row_number = dialect.skip_lines + 1 - dialect.sep_line  # "sep=" is hidden
        self._release = weakref.finalize(self, path.unlink, missing_ok=True) if temporary else None

    def batches(self, size: int = DEFAULT_BATCH_ROWS) -> Iterator[Batch]:
        row_number = self._header_row_number + 1
        try:
            for records in self._records.batches(size):
                yield row_number, texts(records, len(self.headers))
                row_number += len(records)
        except pl.exceptions.PolarsError as error:
            raise _unreadable(error) from None

    def row_count(self) -> int:
        return self._rows

    def close(self) -> None:
        if self._release is not None:
            self._release()


def open_csv(path: Path, limits: SourceLimits, encoding: str | None = None) -> CsvTable:
    """The CSV file at `path`, read in `encoding` (a Python codec name) when the person chose
    one, else in the encoding detected (csv_dialect)."""
    with path.open("rb") as file:
        head = file.read(HEAD_BYTES)
    if not head.strip(BLANK_BYTES):
        raise UnsupportedFile("empty_file", "The file is empty.")
    dialect = detect_csv(head, encoding)
    utf8_path, is_copy, used = utf8_source(path, dialect, head, chosen=encoding is not None)
    try:
        return CsvTable(utf8_path, dialect, limits, temporary=is_copy, encoding=used)
    except BaseException:
        if is_copy:
            utf8_path.unlink(missing_ok=True)
        raise


def _counted(path: Path, dialect: CsvDialect) -> tuple[CsvRecords, int, int]:
    """A reader of the file and its record counts (all, non-blank), by polars when it can."""
    records: CsvRecords = PolarsRecords(path, dialect)
    try:
        return records, *records.counts()
    except pl.exceptions.ComputeError:
        records = PythonRecords(path, dialect)  # a stray quote: read it as spreadsheets do
        return records, *records.counts()
    except pl.exceptions.PolarsError as error:
        raise _unreadable(error) from None


def _unreadable(error: Exception) -> UnsupportedFile:
    reason = str(error).split("\n", 1)[0][:300]
    return UnsupportedFile(
        "malformed_csv",
        f"The CSV file cannot be read ({reason}). Save it again from your spreadsheet as CSV "
        "and upload it again.",
    )
