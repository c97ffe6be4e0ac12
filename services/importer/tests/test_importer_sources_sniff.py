"""What an upload really is, from its bytes; a renamed binary is refused with a clear sentence.

The workbook builders here make every fixture at test time (no binary fixture is committed);
the table tests use them too."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable

import pytest
import xlsxwriter
import xlwt
from importer_service.adapters.sources.sniff import FileFormat, UnsupportedFile, detect_format
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

pytestmark = pytest.mark.unit

Cell = str | int | float | bool | datetime.date | None
Sheets = dict[str, list[list[Cell]]]
ONE_SHEET: Sheets = {
    "Contacts": [["Phone", "Name"], [33612345678, "Zoë"], ["+44 7400 123456", "Bob"]]
}


def xlsx_bytes(sheets: Sheets) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, datetime.date):
                    sheet.write_datetime(r, c, value, dates)
                elif value is not None:
                    sheet.write(r, c, value)
    book.close()
    return out.getvalue()


def xls_bytes(sheets: Sheets) -> bytes:
    book = xlwt.Workbook()
    dates = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value, dates) if isinstance(
                        value, datetime.date
                    ) else sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods_bytes(sheets: Sheets) -> bytes:
    document = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            table_row = TableRow()
            for value in row:
                table_row.addElement(_ods_cell(value))
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def _ods_cell(value: Cell) -> TableCell:
    if value is None:
        return TableCell()
    if isinstance(value, bool):
        cell = TableCell(valuetype="boolean", booleanvalue=str(value).lower())
    elif isinstance(value, int | float):
        cell = TableCell(valuetype="float", value=str(value))
    elif isinstance(value, datetime.date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat())
    else:
        cell = TableCell(valuetype="string")
    cell.addElement(P(text=str(value)))
    return cell


WORKBOOKS: dict[FileFormat, Callable[[Sheets], bytes]] = {
    FileFormat.XLSX: xlsx_bytes,
    FileFormat.XLS: xls_bytes,
    FileFormat.ODS: ods_bytes,
}


def zip_bytes(entries: dict[str, bytes], stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries.items()):
            kind = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return out.getvalue()


CSV_TEXT = "Nom;Prénom;Téléphone\r\nDupont;Zoë;+33 6 12 34 56 78\r\n"


@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        (CSV_TEXT.encode("utf-8"), "contacts.csv", FileFormat.CSV),
        (b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8"), "contacts.CSV", FileFormat.CSV),
        (CSV_TEXT.encode("utf-16"), "contacts.txt", FileFormat.CSV),
        (b"\xfe\xff" + CSV_TEXT.encode("utf-16-be"), "contacts.csv", FileFormat.CSV),
        (CSV_TEXT.encode("cp1252"), "C:\\fakepath\\Contacts.Csv", FileFormat.CSV),
        (xlsx_bytes(ONE_SHEET), "contacts.xlsx", FileFormat.XLSX),
        (xlsx_bytes(ONE_SHEET), "CONTACTS.XLSX", FileFormat.XLSX),
        (xls_bytes(ONE_SHEET), "contacts.xls", FileFormat.XLS),
        (ods_bytes(ONE_SHEET), "/home/me/contacts.ods", FileFormat.ODS),
    ],
)
def test_each_format_is_told_from_its_bytes(
    content: bytes, filename: str, expected: FileFormat
) -> None:
    assert detect_format(content[:8192], filename) is expected


def test_an_xlsx_written_as_a_stream_is_still_an_xlsx() -> None:
    class Unseekable(io.BytesIO):
        def seekable(self) -> bool:
            return False

    out = Unseekable()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:  # sizes follow each entry
        archive.writestr("[Content_Types].xml", "<Types/>" * 50)
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert detect_format(out.getvalue(), "book.xlsx") is FileFormat.XLSX


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40)
RENAMED = [
    (PNG, "contacts.csv", "a PNG image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "contacts.csv", "a PDF document"),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "contacts.csv", "a Windows program"),
    (b"\x7fELF\x02\x01\x01" + bytes(20), "contacts.xls", "a program (ELF)"),
    (bytes(range(256)) * 4, "contacts.csv", "binary data"),
    (xlsx_bytes(ONE_SHEET), "contacts.csv", "an Excel workbook (.xlsx). Name it .xlsx"),
    (ods_bytes(ONE_SHEET), "contacts.xlsx", "an OpenDocument spreadsheet (.ods). Name it .ods"),
    (xls_bytes(ONE_SHEET), "contacts.xlsx", "an Excel 97-2003 workbook (.xls)"),
    (xlsx_bytes(ONE_SHEET), "contacts.xls", "an Excel workbook (.xlsx)"),
    (CSV_TEXT.encode(), "contacts.xlsx", "text (CSV). Name it .csv"),
    (zip_bytes({"word/document.xml": b"<w/>"}), "contacts.xlsx", "a Word document (.docx)"),
    (zip_bytes({"photo.jpg": b"\xff\xd8\xff"}), "contacts.xlsx", "a zip archive"),
    (
        zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text"}, stored_first=True),
        "contacts.ods",
        "'application/vnd.oasis.opendocument.text'",
    ),
    (
        b"<html><table><tr><td>Phone</td></tr></table></html>",
        "export.xls",
        "an HTML or XML document",
    ),
    (b"\xef\xbb\xbf<?xml version='1.0'?><Workbook>", "export.csv", "an HTML or XML document"),
]


@pytest.mark.parametrize(("content", "filename", "found"), RENAMED)
def test_a_renamed_file_is_refused_naming_what_it_is_and_what_is_accepted(
    content: bytes, filename: str, found: str
) -> None:
    with pytest.raises(UnsupportedFile) as refused:
        detect_format(content, filename)
    assert refused.value.code == "content_mismatch"
    assert found in refused.value.message
    assert f'"{filename.rsplit("/", 1)[-1]}" is named like' in refused.value.message
    assert "Accepted: CSV text (.csv, .txt), Excel workbooks (.xls, .xlsx)" in refused.value.message


@pytest.mark.parametrize(
    ("filename", "said"),
    [
        ("photo.png", "a .png file"),
        ("contacts", "a file without an extension"),
        ("contacts.csv.exe", "a .exe file"),
    ],
)
def test_an_extension_not_accepted_is_refused_whatever_the_content(
    filename: str, said: str
) -> None:
    with pytest.raises(UnsupportedFile) as refused:
        detect_format(CSV_TEXT.encode(), filename)
    assert refused.value.code == "unsupported_extension"
    assert said in refused.value.message and ".ods" in refused.value.message


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(UnsupportedFile) as refused:
        detect_format(b"", "contacts.csv")
    assert (refused.value.code, refused.value.message) == (
        "empty_file",
        'The file "contacts.csv" is empty.',
    )


def test_a_head_cut_inside_a_character_is_still_text() -> None:
    content = ("Prénom,Phone\n" + "Zoë,0612\n" * 1000).encode()
    cut = next(n for n in range(8000, 8100) if content[n - 1] >= 0xC0)  # inside "ë"
    assert detect_format(content[:cut], "a.csv") is FileFormat.CSV
