"""An .xlsx workbook of one table, written as a stream: a million rows in bounded memory, the
first bytes sent before the last row is read.

xlsxwriter (in `constant_memory` mode) keeps memory bounded too, but it cannot hand out a byte
before the workbook is closed, and it took 60 s of CPU for a million results rows where this
takes 13 s, the whole download included (bench/README.md, `importer_results.py`): the rows are
SpreadsheetML written straight into a zip entry (stdlib `zipfile`, which writes to a stream
that cannot seek with data descriptors), strings inline (no shared-strings table to hold), and
the few small parts that name the sheets last.

Every text cell goes through `report.neutralise`, as in the CSV report: the cells are inline
strings, which no spreadsheet runs, and they stay harmless once saved again as CSV. Characters
XML cannot carry (control characters) are dropped. A sheet holds at most 1,048,576 rows: more
continue on another sheet, under the same header.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO
from xml.sax.saxutils import escape

from importer_service.adapters.sources.report import neutralise

MAX_SHEET_ROWS = 1_048_576
MAX_CELL_CHARS = 32_767
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TO_CLEAN = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # most cells: none
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_SHEET_TYPE = f"{_RELS}/worksheet"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
Cell = str | int | None


class XlsxStream:
    """Write rows with `add`, then `close`; each returns the bytes of the file made meanwhile."""

    def __init__(self, header: Sequence[str], sheet_name: str = "Results") -> None:
        self._sink = _Sink()
        # level 1: a fifth larger than level 6 and a third less CPU (names and numbers compress well)
        self._zip = zipfile.ZipFile(self._sink, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self._header = list(header)
        self._columns = [_column_letters(i) for i in range(len(header))]
        self._name = sheet_name
        self._sheets = 0
        self._sheet: IO[bytes] | None = None
        self._row = 0

    def add(self, rows: Iterable[Sequence[Cell]]) -> bytes:
        parts: list[str] = []
        for cells in rows:
            if self._sheet is None or self._row == MAX_SHEET_ROWS:
                self._write(parts)
                self._next_sheet()
            self._row += 1
            parts.append(self._row_xml(cells))
        self._write(parts)
        return self._sink.take()

    def close(self) -> bytes:
        if self._sheet is None:
            self._next_sheet()
        self._end_sheet()
        names = [self._sheet_name(n) for n in range(1, self._sheets + 1)]
        for path, text in _package_parts(names).items():
            self._zip.writestr(path, text)
        self._zip.close()
        return self._sink.take()

    def _next_sheet(self) -> None:
        self._end_sheet()
        self._sheets += 1
        path = f"xl/worksheets/sheet{self._sheets}.xml"
        sheet = self._zip.open(path, "w", force_zip64=True)
        sheet.write(f'{_XML}<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
        self._row = 1
        sheet.write(self._row_xml(self._header).encode())
        self._sheet = sheet

    def _end_sheet(self) -> None:
        if self._sheet is not None:
            self._sheet.write(b"</sheetData></worksheet>")
            self._sheet.close()

    def _write(self, parts: list[str]) -> None:
        if parts and self._sheet is not None:
            self._sheet.write("".join(parts).encode())
            parts.clear()

    def _row_xml(self, cells: Sequence[Cell]) -> str:
        row = self._row
        xml = [f'<row r="{row}">']
        for column, cell in zip(self._columns, cells, strict=False):
            if isinstance(cell, int):
                xml.append(f'<c r="{column}{row}"><v>{cell}</v></c>')
            elif cell:
                text = _xml_text(cell)
                xml.append(
                    f'<c r="{column}{row}" t="inlineStr"><is><t xml:space="preserve">{text}'
                    "</t></is></c>"
                )
        xml.append("</row>")
        return "".join(xml)

    def _sheet_name(self, number: int) -> str:
        return self._name if number == 1 else f"{self._name} ({number})"


def _xml_text(cell: str) -> str:
    """The cell neutralised (`report.neutralise`), cut to a cell's limit, without what XML
    cannot carry, escaped."""
    text = neutralise(cell)[:MAX_CELL_CHARS]
    return escape(_NOT_XML.sub("", text)) if _TO_CLEAN.search(text) else text


class _Sink(io.RawIOBase):
    """Where the zip is written: it keeps what was written until `take`n (no seek, no tell)."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _package_parts(sheet_names: list[str]) -> dict[str, str]:
    """The parts that say what the package holds: content types, relationships, workbook."""
    numbers = range(1, len(sheet_names) + 1)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in numbers
    )
    sheets = "".join(
        f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
        for n, name in zip(numbers, sheet_names, strict=True)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_SHEET_TYPE}" Target="worksheets/sheet{n}.xml"/>'
        for n in numbers
    )
    return {
        "[Content_Types].xml": f'{_XML}<Types xmlns="{_PACKAGE}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        f'officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>',
        "_rels/.rels": f'{_XML}<Relationships xmlns="{_PACKAGE}/relationships">'
        f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}">'
        f"<sheets>{sheets}</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'{_XML}<Relationships xmlns="{_PACKAGE}/relationships">'
        f"{sheet_rels}</Relationships>",
    }
