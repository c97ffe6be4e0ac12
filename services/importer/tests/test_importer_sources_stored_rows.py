"""Rows as the import stores them: blank rows neither counted against the row limit nor kept,
long cells cut with an error on their row, binary data refused naming where it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from importer_service.adapters.file_jobs import ReadRows, Refusal, read_file
from importer_service.adapters.sources.errors import UnsupportedFile
from importer_service.adapters.sources.limits import SourceLimits, TooManyRows
from importer_service.adapters.sources.mapping import ColumnMapping
from importer_service.adapters.sources.sniff import FileFormat, detect_format
from importer_service.adapters.sources.stored_rows import RowReader
from importer_service.adapters.sources.tables import open_table

from .hostile_files import csv_with_blank_lines, csv_with_nul_after
from .test_importer_sources_sniff import WORKBOOKS

pytestmark = pytest.mark.unit

HEADERS = ["Mobile", "Name", "Notes"]
MAPPING = ColumnMapping(phone=0, display_name=1)
TWENTY = SourceLimits(max_rows=20)


def rows_of(path: Path, fmt: FileFormat, limits: SourceLimits) -> list[tuple[object, ...]]:
    items = list(read_file(ReadRows(path, fmt, limits, None, MAPPING)))
    assert not any(isinstance(item, Refusal) for item in items), items[-1]
    return [row for batch in items if isinstance(batch, list) for row in batch]


def test_a_csv_of_20_rows_and_blank_lines_passes_a_limit_of_20_and_keeps_20_rows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(csv_with_blank_lines(20, ["", " , ", ",", "\t"]))
    stored = rows_of(path, FileFormat.CSV, TWENTY)
    assert [row[0] for row in stored] == list(range(2, 22))
    path.write_bytes(csv_with_blank_lines(21, ["", " , "]))
    with pytest.raises(TooManyRows):
        open_table(path, FileFormat.CSV, TWENTY)


@pytest.mark.parametrize("fmt", list(WORKBOOKS))
def test_a_sheet_of_20_rows_and_blank_rows_passes_a_limit_of_20_and_keeps_20_rows(
    tmp_path: Path, fmt: FileFormat
) -> None:
    numbers = [[f"+4474001{n:05d}", f"N{n}"] for n in range(20)]
    blank: list[list[str | None]] = [[None, None], ["  ", ""]]
    path = tmp_path / f"list.{fmt.value}"
    path.write_bytes(WORKBOOKS[fmt]({"S": [["Mobile", "Name"], *numbers[:10], *blank,
                                           *numbers[10:], *blank]}))  # fmt: skip
    stored = rows_of(path, fmt, TWENTY)
    assert [row[0] for row in stored] == [*range(2, 12), *range(14, 24)]  # numbering stays true
    with pytest.raises(TooManyRows):
        open_table(path, fmt, SourceLimits(max_rows=19))


def test_a_cell_over_the_limit_is_cut_and_its_row_says_which_column() -> None:
    reader = RowReader(HEADERS, MAPPING, max_cell_chars=10)
    kept = reader.stored(7, [["0612345678", "A" * 11, "x" * 50], ["0612345679", "Bob", ""]])
    number, phone, name, *_, code, reason = kept[0]
    assert (number, phone, name, code) == (7, "0612345678", "A" * 10, "cell_too_long")
    assert reason == (
        'The display name cell (column "Name") holds 11 characters; at most 10 are read. '
        "Shorten it."
    )
    assert kept[1][-2:] == (None, None)  # the next row has no error; Notes is not stored


def test_a_nul_in_a_stored_cell_refuses_the_file_naming_row_and_column() -> None:
    reader = RowReader(HEADERS, MAPPING, max_cell_chars=1000)
    with pytest.raises(UnsupportedFile, match='Row 12, column "Name", holds a NUL') as refusal:
        reader.stored(11, [["0612345678", "Ann"], ["0612345679", "B\x00b"]])
    assert refusal.value.code == "binary_content"


def test_a_csv_with_a_nul_after_256_kb_is_refused_when_its_rows_are_read(tmp_path: Path) -> None:
    content = csv_with_nul_after(256 * 1024)
    assert content.index(b"\x00") > 256 * 1024
    assert detect_format(content[:8192], "list.csv") is FileFormat.CSV  # sniffing lets it in
    path = tmp_path / "list.csv"
    path.write_bytes(content)
    items = list(read_file(ReadRows(path, FileFormat.CSV, SourceLimits(), None, MAPPING)))
    assert isinstance(items[-1], Refusal) and items[-1].code == "binary_content"
    assert 'Row 21, column "Name"' in items[-1].message
