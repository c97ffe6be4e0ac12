"""Hostile files, built in memory by the tests (no binary fixtures committed): workbooks whose
grid is huge though the file is tiny, CSV files with binary data or blank lines, long cells."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def xlsx_of_sheet(
    sheet_data: str, dimension: str = "A1:A2", sheet: str = "Contacts", prolog: str = ""
) -> bytes:
    """An .xlsx whose one sheet is `sheet_data` (the inside of `<sheetData>`) as written, and
    which declares `dimension`: the XML says whatever the test wants, lies included."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            (
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{OFFICE}.sheet.main+xml"/>'
                '<Override PartName="/xl/worksheets/sheet1.xml" '
                f'ContentType="{OFFICE}.worksheet+xml"/></Types>'
            ),
        )
        archive.writestr(
            "_rels/.rels",
            (
                f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" Target="xl/workbook.xml" '
                f'Type="{RELATIONSHIPS}/officeDocument"/></Relationships>'
            ),
        )
        archive.writestr(
            "xl/workbook.xml",
            (
                f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
                f'<sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ),
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            (
                f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
                f'Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
            ),
        )
        archive.writestr("xl/worksheets/sheet1.xml", (
            f'{prolog}<worksheet xmlns="{MAIN}" xmlns:x="{MAIN}"><dimension ref="{dimension}"/>'
            f"<sheetData>{sheet_data}</sheetData></worksheet>"))  # fmt: skip
    return out.getvalue()


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def far_cell_xlsx(far: str = "ALL30000") -> bytes:
    """Only A1, A2 and one cell far away (ALL30000: 30,000 rows x 1,000 columns), declaring
    A1:A2: 1.5 KB that a reader turns into a grid of 30 million cells."""
    rows = int(far.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return xlsx_of_sheet(
        f'<row r="1">{cell("A1", "Mobile")}</row><row r="2">{cell("A2", "+447400100001")}</row>'
        f'<row r="{rows}">{cell(far, "x")}</row>'
    )


def repeated_ods(rows: int, columns: int, sheet: str = "Contacts") -> bytes:
    """A header row, then one row of `columns` copies of a number, repeated `rows` times: a
    kilobyte or two that a reader writes out as rows x columns cells."""
    doc = OpenDocumentSpreadsheet()
    table = Table(name=sheet)
    header = TableRow()
    header.addElement(_ods_cell("Mobile"))
    table.addElement(header)
    row = TableRow(numberrowsrepeated=rows)
    row.addElement(_ods_cell("+447400100001", repeated=columns))
    table.addElement(row)
    padding = TableRow(numberrowsrepeated=1_048_576 - rows - 1)  # as spreadsheets pad a sheet
    padding.addElement(TableCell(numbercolumnsrepeated=16_384))
    table.addElement(padding)
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def _ods_cell(text: str, repeated: int = 1) -> TableCell:
    found = TableCell(valuetype="string", numbercolumnsrepeated=repeated)
    found.addElement(P(text=text))
    return found


def far_cell_xls(row: int = 65_535, column: int = 255) -> bytes:
    """An .xls with a header, one number and one cell at (row, column), 0-based."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("Contacts")
    sheet.write(0, 0, "Mobile")
    sheet.write(1, 0, "+447400100001")
    sheet.write(row, column, "x")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_with_nul_after(offset: int, rows: int = 20) -> bytes:
    """`rows` numbers padded with a notes column so that the last one, whose name holds a NUL,
    starts after the first `offset` bytes (past what is sniffed and sampled)."""
    notes = "n" * (offset // (rows - 1) + 1)
    lines = [f"+4474001{n:05d},Name {n},{notes}" for n in range(rows - 1)]
    text = "\n".join(["Mobile,Name,Notes", *lines, "+447400199999,Bad\x00Name,"]) + "\n"
    return text.encode()


def csv_with_blank_lines(rows: int, blank_lines: Sequence[str] = ("", " , ")) -> bytes:
    """`rows` numbers, then blank lines (empty, or only separators and spaces)."""
    numbers = [f"+4474001{n:05d},N{n}" for n in range(rows)]
    return ("Mobile,Name\n" + "\n".join([*numbers, *blank_lines]) + "\n").encode()
