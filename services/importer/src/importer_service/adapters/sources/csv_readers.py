"""The two ways a UTF-8 CSV file's records are read, in batches: polars (fast, in Rust, all
columns as strings) and, for the files polars refuses, Python's csv module.

polars refuses a quote inside an unquoted value (`5'11"`), which spreadsheets read as a plain
character; Python's csv reads it the same way, and its strict mode names the line of a quote
that is never closed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import polars as pl

from importer_service.adapters.sources.csv_dialect import CsvDialect
from importer_service.adapters.sources.errors import UnsupportedFile

if TYPE_CHECKING:
    from _csv import Reader

Cells = tuple[str | None, ...]


class CsvRecords(Protocol):
    def header(self) -> Cells: ...

    def counts(self) -> tuple[int, int]:
        """(records, records with a non-blank cell), the header record included."""
        ...

    def batches(self, size: int) -> Iterator[list[Cells]]:
        """The records after the header's, `size` a batch (the last one may hold fewer)."""
        ...


class PolarsRecords:
    def __init__(self, path: Path, dialect: CsvDialect) -> None:
        self._path = path
        self._dialect = dialect

    def _scan(self) -> pl.LazyFrame:
        return pl.scan_csv(
            self._path, has_header=False, separator=self._dialect.delimiter, quote_char='"',
            skip_lines=self._dialect.skip_lines, infer_schema=False, truncate_ragged_lines=True,
        )  # fmt: skip

    def header(self) -> Cells:
        return tuple(self._scan().head(1).collect().row(0))

    def counts(self) -> tuple[int, int]:
        filled = pl.any_horizontal(pl.all().fill_null("").str.strip_chars().str.len_bytes() > 0)
        records, non_blank = self._scan().select(pl.len(), filled.sum()).collect().row(0)
        return int(records), int(non_blank)

    def batches(self, size: int) -> Iterator[list[Cells]]:
        for frame in self._scan().slice(1).collect_batches(chunk_size=size):
            for offset in range(0, frame.height, size):
                yield frame.slice(offset, size).rows()


class PythonRecords:
    def __init__(self, path: Path, dialect: CsvDialect) -> None:
        self._path = path
        self._dialect = dialect

    def header(self) -> Cells:
        return next(self._records(), ())

    def counts(self) -> tuple[int, int]:
        records = non_blank = 0
        for record in self._records():
            records += 1
            non_blank += any(cell.strip() for cell in record)
        return records, non_blank

    def batches(self, size: int) -> Iterator[list[Cells]]:
        batch: list[Cells] = []
        for record in islice(self._records(), 1, None):
            batch.append(record)
            if len(batch) == size:
                yield batch
                batch = []
        if batch:
            yield batch

    def _records(self) -> Iterator[tuple[str, ...]]:
        with self._path.open(encoding="utf-8", newline="") as file:
            for _ in range(self._dialect.skip_lines):
                file.readline()
            reader = csv.reader(file, delimiter=self._dialect.delimiter, strict=True)
            yield from _strict(reader, self._dialect.skip_lines)


def _strict(reader: Reader, skipped: int) -> Iterator[tuple[str, ...]]:
    line = skipped + 1  # where the record being read starts
    try:
        for record in reader:
            yield tuple(record)
            line = skipped + reader.line_num + 1
    except csv.Error as error:
        if "end of data" in str(error) or "EOF" in str(error):
            raise UnsupportedFile(
                "unbalanced_quotes",
                f'The quote (") that opens a value on line {line} is never closed. Put a quote '
                "at the end of that value (and double any quote inside it), or save the file "
                "again from your spreadsheet.",
            ) from None
        raise UnsupportedFile(
            "malformed_csv",
            f"The CSV file cannot be read at line {line}: {error}. Save it again from your "
            "spreadsheet and upload it again.",
        ) from None
