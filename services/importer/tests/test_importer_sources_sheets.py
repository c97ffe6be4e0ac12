"""Sheets of .xlsx, .xls and .ods workbooks read as tables of text, made by the tests."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from importer_service.adapters.sources.errors import UnsupportedFile
from importer_service.adapters.sources.limits import SourceLimits, TooManyColumns, TooManyRows
from importer_service.adapters.sources.sniff import FileFormat
from importer_service.adapters.sources.tables import Table, open_table

from .test_importer_sources_sniff import WORKBOOKS, Sheets, zip_bytes

pytestmark = pytest.mark.unit

LIMITS = SourceLimits()
FORMATS = list(WORKBOOKS)
CONTACTS: Sheets = {
    "Contacts": [
        ["Phone", "", "Phone", " Name\n(full) ", "Since"],
        [33612345678, "x", "+33 6 12 34 56 78", "Zoë", datetime.date(2024, 1, 2)],
        ["0612345678", None, 612345678, "Bob", None],
        [None, None, None, None, None],
        [447400123456.0, 1.5, True, "  spaced ", None],
    ],
    "Other": [["Mobile"], ["+44 7400 123456"]],
}


def opened(tmp_path: Path, fmt: FileFormat, sheets: Sheets, sheet: str | int | None = None,
           limits: SourceLimits = LIMITS, name: str | None = None) -> Table:  # fmt: skip
    path = tmp_path / (name or f"book.{fmt.value}")
    path.write_bytes(WORKBOOKS[fmt](sheets))
    return open_table(path, fmt, limits, sheet)


def numbered(table: Table, size: int = 50_000) -> list[tuple[int, list[str]]]:
    return [(first + i, row) for first, rows in table.batches(size) for i, row in enumerate(rows)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_cells_come_out_as_the_text_a_person_sees(tmp_path: Path, fmt: FileFormat) -> None:
    table = opened(tmp_path, fmt, CONTACTS)
    assert (table.sheets, table.sheet) == ([], "Contacts")  # not surveyed: see sheet_choice
    assert table.headers == ["Phone", "Column 2", "Phone (2)", "Name (full)", "Since"]
    rows = numbered(table)
    assert [number for number, _ in rows] == [2, 3, 4, 5]
    assert rows[0][1][:4] == ["33612345678", "x", "+33 6 12 34 56 78", "Zoë"]  # no ".0", no "e+10"
    assert rows[0][1][4].startswith("2024-01-02")
    assert rows[1][1] == [
        "0612345678",
        "",
        "612345678",
        "Bob",
        "",
    ]  # a number lost its 0: kept as is
    assert rows[2][1] == ["", "", "", "", ""]  # an empty row is kept, so numbers stay true
    assert rows[3][1][:2] == ["447400123456", "1.5"] and rows[3][1][3] == "  spaced "
    assert table.row_count() == 4


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("chosen", "header"), [("Other", "Mobile"), (1, "Mobile"), (" other ", "Mobile"), (0, "Phone")]
)
def test_a_sheet_is_chosen_by_name_or_index(
    tmp_path: Path, fmt: FileFormat, chosen: str | int, header: str
) -> None:
    table = opened(tmp_path, fmt, CONTACTS, chosen)
    assert table.headers[0] == header and table.sheet in ("Other", "Contacts")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("chosen", ["Missing", 2, -1])
def test_an_unknown_sheet_is_refused_naming_the_sheets(
    tmp_path: Path, fmt: FileFormat, chosen: str | int
) -> None:
    with pytest.raises(UnsupportedFile) as refused:
        opened(tmp_path, fmt, CONTACTS, chosen)
    assert refused.value.code == "sheet_not_found"
    assert '"Contacts", "Other"' in refused.value.message


@pytest.mark.parametrize("fmt", FORMATS)
def test_rows_above_the_header_count_in_the_numbering(tmp_path: Path, fmt: FileFormat) -> None:
    table = opened(
        tmp_path, fmt, {"S": [[None], [None, None], [None, "Phone", "Name"], [None, "0612", "A"]]}
    )
    assert table.headers[-2:] == ["Phone", "Name"]
    assert numbered(table)[0][0] == 4 and numbered(table)[0][1][-2:] == ["0612", "A"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_batches_number_rows_across_slices(tmp_path: Path, fmt: FileFormat) -> None:
    table = opened(tmp_path, fmt, {"S": [["Phone"]] + [[f"+3361234{n:04d}"] for n in range(10)]})
    assert [(first, len(rows)) for first, rows in table.batches(4)] == [(2, 4), (6, 4), (10, 2)]
    assert numbered(table, 4)[-1] == (11, ["+33612340009"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_header_without_rows_is_refused(tmp_path: Path, fmt: FileFormat) -> None:
    with pytest.raises(UnsupportedFile) as refused:
        opened(tmp_path, fmt, {"S": [["Phone", "Name"], [None, None], ["", "  "]]})
    assert refused.value.code == "no_rows"


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_sheet_is_refused(tmp_path: Path, fmt: FileFormat) -> None:
    with pytest.raises(UnsupportedFile) as refused:
        opened(tmp_path, fmt, {"Empty": [], "Other": [["Phone"], ["0612"]]})
    assert refused.value.code == "empty_file" and "Empty" in refused.value.message


@pytest.mark.parametrize("fmt", FORMATS)
def test_more_rows_or_columns_than_the_limits_are_refused(tmp_path: Path, fmt: FileFormat) -> None:
    sheet: Sheets = {"S": [["Phone", "Name", "Email"]] + [["0612", "A", "a@b.c"]] * 5}
    assert (
        opened(tmp_path, fmt, sheet, limits=SourceLimits(max_rows=5, max_columns=3)).row_count()
        == 5
    )
    with pytest.raises(TooManyRows):
        opened(tmp_path, fmt, sheet, limits=SourceLimits(max_rows=4))
    with pytest.raises(TooManyColumns):
        opened(tmp_path, fmt, sheet, limits=SourceLimits(max_columns=2))


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_stored_upload_without_the_extension_is_read(tmp_path: Path, fmt: FileFormat) -> None:
    table = opened(tmp_path, fmt, CONTACTS, name="upload-7f3a.bin")
    assert table.headers[0] == "Phone" and table.row_count() == 4


@pytest.mark.parametrize(("fmt", "content"), [
    (FileFormat.XLS, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
    (FileFormat.XLSX, zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/styles.xml": b"<a/>"})),
    (FileFormat.ODS, zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})),
])  # fmt: skip
def test_a_damaged_workbook_is_refused(tmp_path: Path, fmt: FileFormat, content: bytes) -> None:
    path = tmp_path / f"damaged.{fmt.value}"
    path.write_bytes(content)
    with pytest.raises(UnsupportedFile) as refused:
        open_table(path, fmt, LIMITS)
    assert refused.value.code == "unreadable_file"
    assert "could not be read" in refused.value.message


def test_a_zip_bomb_named_xlsx_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(
        zip_bytes(
            {
                "[Content_Types].xml": b"<Types/>",
                "xl/worksheets/sheet1.xml": bytes(64 * 1024 * 1024),
            }
        )
    )
    with pytest.raises(UnsupportedFile) as refused:
        open_table(path, FileFormat.XLSX, SourceLimits(max_uncompressed_bytes=32 * 1024 * 1024))
    assert refused.value.code == "archive_too_large"


def test_a_larger_sheet_is_handed_over_a_batch_at_a_time(tmp_path: Path) -> None:
    make: Callable[[Sheets], bytes] = WORKBOOKS[FileFormat.XLSX]
    rows = 30_000
    path = tmp_path / "big.xlsx"
    path.write_bytes(
        make({"S": [["Phone", "Name"]] + [[33612000000 + n, f"N{n}"] for n in range(rows)]})
    )
    table = open_table(path, FileFormat.XLSX, LIMITS)
    sizes = [len(batch) for _, batch in table.batches(8_000)]
    assert sizes == [8_000, 8_000, 8_000, 6_000]
    assert numbered(table, 8_000)[-1] == (rows + 1, [str(33612000000 + rows - 1), f"N{rows - 1}"])
