"""The grid of every sheet of an .xlsx workbook, from its XML, streamed.

A sheet says how large it is (`<dimension ref="A1:D100001">`), but the reader trusts its cells,
not that: each `<c r="D17">` is where its reference says, and a cell without a reference is
next to the one before it (a row without one is below the one before). Both are checked: the
declaration as soon as it is read, and every cell as it comes, so a file that lies is refused
at the first cell out of bounds. Sheets are named as the workbook names them
(`xl/workbook.xml` and its relationships).
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path

from importer_service.adapters.sources.limits import SourceLimits
from importer_service.adapters.sources.sheet_size import SheetSize, column_number
from importer_service.adapters.sources.xlsx_fast_size import fast_size
from importer_service.adapters.sources.xml_stream import stream_part

WORKBOOK = "xl/workbook.xml"
RELATIONSHIPS = "xl/_rels/workbook.xml.rels"
DIGITS = "0123456789"


def xlsx_sizes(path: Path, limits: SourceLimits) -> Iterator[SheetSize]:
    """Each sheet's size, in the workbook's order; raises as soon as one is over the limits
    (ValueError for a cell reference that is not one)."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        for sheet, part in _sheet_parts(archive, names):
            yield _sheet_size(archive, sheet, part, limits)


def _sheet_parts(archive: zipfile.ZipFile, names: set[str]) -> list[tuple[str, str]]:
    """(sheet name, its part) for every sheet whose part is in the archive."""
    if WORKBOOK not in names or RELATIONSHIPS not in names:
        return []  # not a workbook the reader can open: it will say so
    sheets: list[tuple[str, str]] = []  # (name, relationship id)
    targets: dict[str, str] = {}

    def on_sheet(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "sheet":
            ids = [value for key, value in attrs.items() if _local(key) == "id"]
            sheets.append((attrs.get("name", f"Sheet {len(sheets) + 1}"), ids[0] if ids else ""))

    def on_relationship(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "Relationship" and "Id" in attrs:
            targets[attrs["Id"]] = attrs.get("Target", "")

    stream_part(archive, WORKBOOK, on_sheet)
    stream_part(archive, RELATIONSHIPS, on_relationship)
    parts = [(name, _part_of(targets.get(rid, ""))) for name, rid in sheets]
    return [(name, part) for name, part in parts if part in names]


def _part_of(target: str) -> str:
    """A relationship's target as a path in the archive (relative to `xl/` unless absolute)."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join("xl", target))


def _sheet_size(archive: zipfile.ZipFile, sheet: str, part: str, limits: SourceLimits) -> SheetSize:
    """By the fast path when the sheet is in the common form, else by walking its XML."""
    fast = SheetSize(sheet)
    if fast_size(archive, part, fast, limits):
        return fast
    cells = _CellWalk(SheetSize(sheet), limits)
    stream_part(archive, part, cells.start)
    return cells.size


class _CellWalk:
    """Follows the rows and cells of one sheet's XML, growing its size as cells come (one
    call per element of a large sheet: kept to the bone)."""

    def __init__(self, size: SheetSize, limits: SourceLimits) -> None:
        self.size = size
        self.limits = limits
        self.row = 0
        self.column = 0
        self._columns: dict[str, int] = {}  # letters -> number, computed once per column

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "c":
            ref = attrs.get("r")
            if ref is None:
                self.column += 1
            else:
                letters = ref.rstrip(DIGITS)
                self.column = self._columns.get(letters) or self._column(letters)
                self.row = int(ref[len(letters) :])
            if self.row > self.size.rows or self.column > self.size.columns:
                self.size.reach(self.row, self.column, self.limits)
        elif tag == "row":
            self.row = int(attrs["r"]) if "r" in attrs else self.row + 1
            self.column = 0
        elif tag == "dimension":
            last = attrs.get("ref", "").rpartition(":")[2]
            letters = last.rstrip(DIGITS)
            self.size.reach(int(last[len(letters) :]), self._column(letters), self.limits)
        elif ":" in tag:  # a prefixed tag (`x:c`): the reader goes by the local name
            self.start(_local(tag), attrs)

    def _column(self, letters: str) -> int:
        number = self._columns[letters] = column_number(letters)
        return number


def _local(name: str) -> str:
    return name.rpartition(":")[2]
