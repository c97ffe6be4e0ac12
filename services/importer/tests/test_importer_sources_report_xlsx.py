"""The .xlsx workbook the platform writes as a stream: readable by a spreadsheet reader
(calamine, through fastexcel), every cell neutralised as in the CSV report, a sheet past the
row limit continued on another."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import fastexcel
import pytest
from importer_service.adapters.sources import report_xlsx
from importer_service.adapters.sources.report_xlsx import XlsxStream

pytestmark = pytest.mark.unit

HEADER = ("row", "phone", "name", "status")


def written(batches: list[list[tuple[str | int | None, ...]]]) -> bytes:
    stream = XlsxStream(HEADER)
    parts = [stream.add(rows) for rows in batches]
    return b"".join(parts) + stream.close()


def sheets_of(content: bytes, tmp_path: Path) -> dict[str, list[tuple[object, ...]]]:
    path = tmp_path / "results.xlsx"
    path.write_bytes(content)
    reader = fastexcel.read_excel(path)
    return {name: reader.load_sheet(name, header_row=None, dtypes="string").to_polars().rows()
            for name in reader.sheet_names}  # fmt: skip


def test_rows_are_read_back_with_formulas_neutralised(tmp_path: Path) -> None:
    rows = [
        (2, "+33612345678", 'Zoë <&> "Ada"', "ready_to_invite"),
        (3, '=HYPERLINK("http://evil.example")', None, "invalid"),
        (4, "06 12\x0b34", "  spaced  ", "invalid"),  # a control character XML cannot carry
    ]
    sheets = sheets_of(written([rows[:2], rows[2:]]), tmp_path)
    assert list(sheets) == ["Results"]
    assert sheets["Results"] == [
        ("row", "phone", "name", "status"),
        ("2", "'+33612345678", 'Zoë <&> "Ada"', "ready_to_invite"),
        ("3", '\'=HYPERLINK("http://evil.example")', None, "invalid"),
        ("4", "06 1234", "  spaced  ", "invalid"),
    ]


def test_bytes_come_out_before_the_workbook_is_closed() -> None:
    stream = XlsxStream(HEADER)
    early = b"".join(stream.add([(n, "0612345678", f"N{n}", "invalid")]) for n in range(2, 20_000))
    assert early.startswith(b"PK\x03\x04") and len(early) > 10_000
    whole = early + stream.close()
    assert zipfile.ZipFile(io.BytesIO(whole)).testzip() is None


def test_rows_past_a_sheets_limit_continue_on_another_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_xlsx, "MAX_SHEET_ROWS", 3)  # the header and two rows a sheet
    rows = [(n, f"06{n:08d}", None, "invalid") for n in range(2, 7)]
    sheets = sheets_of(written([rows]), tmp_path)
    assert list(sheets) == ["Results", "Results (2)", "Results (3)"]
    assert [len(r) for r in sheets.values()] == [3, 3, 2]
    assert all(r[0] == HEADER for r in sheets.values())
    assert sheets["Results (3)"][1][0] == "6"


def test_an_empty_table_is_a_workbook_with_its_header(tmp_path: Path) -> None:
    assert sheets_of(written([]), tmp_path) == {"Results": [HEADER]}
