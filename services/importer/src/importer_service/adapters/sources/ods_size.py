"""The grid of every sheet of an .ods spreadsheet, from `content.xml`, streamed.

OpenDocument compresses repetition: `table:number-rows-repeated="10000"` on a row and
`table:number-columns-repeated="1000"` on a cell make ten million cells of one line of XML,
and the reader writes every one of them out. It does so only up to the last cell holding
something (a value, a value type or a formula), which is how every spreadsheet pads its rows
and sheets with empty repeated cells; so this walk counts the same way. Every sheet is
measured, since the reader builds every sheet when it opens the file.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from importer_service.adapters.sources.limits import SourceLimits
from importer_service.adapters.sources.sheet_size import SheetSize
from importer_service.adapters.sources.xml_stream import stream_part

CONTENT = "content.xml"
CELLS = frozenset({"table:table-cell", "table:covered-table-cell"})


def ods_sizes(path: Path, limits: SourceLimits) -> Iterator[SheetSize]:
    """Each sheet's size, in order; raises as soon as one is over the limits (ValueError for a
    repeat count that is not a number)."""
    with zipfile.ZipFile(path) as archive:
        if CONTENT not in archive.namelist():
            return  # not a spreadsheet the reader can open: it will say so
        walk = _TableWalk(limits)
        stream_part(archive, CONTENT, walk.start, walk.end)
    yield from walk.sizes


class _TableWalk:
    def __init__(self, limits: SourceLimits) -> None:
        self.limits = limits
        self.sizes: list[SheetSize] = []
        self.table: SheetSize | None = None
        self.depth = 0  # tables inside a table's cells belong to it
        self.row = 0  # rows of the table so far, repeats counted
        self.row_repeats = 1
        self.column = 0  # cells of the row so far, repeats counted
        self.last_filled = 0  # the column of the row's last cell that holds something

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag in CELLS:
            self.column += _count(attrs.get("table:number-columns-repeated"))
            if _holds_something(attrs):
                self.last_filled = self.column
        elif tag == "table:table-row":
            self.row_repeats = _count(attrs.get("table:number-rows-repeated"))
            self.column = self.last_filled = 0
        elif tag == "table:table":
            self.depth += 1
            if self.depth == 1:
                self.table = SheetSize(attrs.get("table:name", f"Sheet {len(self.sizes) + 1}"))
                self.row = 0

    def end(self, tag: str) -> None:
        if tag == "table:table-row" and self.table is not None:
            self.row += self.row_repeats
            if self.last_filled:
                self.table.reach(self.row, self.last_filled, self.limits)
        elif tag == "table:table":
            self.depth -= 1
            if self.depth == 0 and self.table is not None:
                self.sizes.append(self.table)
                self.table = None


def _count(repeated: str | None) -> int:
    if repeated is None:
        return 1
    count = int(repeated)
    if count < 0:
        raise ValueError(f"a negative repeat count ({count})")
    return count


def _holds_something(attrs: dict[str, str]) -> bool:
    """What the reader takes for a cell that is not empty (a value type alone counts: it reads
    a string cell without text as an empty string, not as nothing)."""
    return "table:formula" in attrs or any(key.startswith("office:") for key in attrs)
