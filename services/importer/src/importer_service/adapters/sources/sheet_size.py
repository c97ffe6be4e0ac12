"""How large a sheet's grid is, and the limits it must stay within.

Spreadsheet readers (calamine, under fastexcel) build a sheet as a dense grid: every row times
every column up to the last cell used. Three cells, A1, A2 and ALL30000, make a grid of 30,000
x 1,000 = 30 million cells (1.4 GB). So the grid's size is found from the file first, by
streaming it, and a sheet whose grid is over the limits is refused before it is built.
"""

from __future__ import annotations

from dataclasses import dataclass

from importer_service.adapters.sources.limits import SourceLimits, TooManyCells, TooManyColumns


@dataclass
class SheetSize:
    """The rows and columns a sheet's grid spans from A1 (the last row and column used)."""

    sheet: str
    rows: int = 0
    columns: int = 0

    def reach(self, rows: int, columns: int, limits: SourceLimits) -> None:
        """Grow to cover `rows` x `columns`; raise as soon as the grid is over the limits."""
        if rows <= self.rows and columns <= self.columns:
            return
        self.rows, self.columns = max(rows, self.rows), max(columns, self.columns)
        check_size(self, limits)


def check_size(size: SheetSize, limits: SourceLimits) -> None:
    if size.columns > limits.max_columns:
        raise TooManyColumns(size.columns, limits.max_columns, size.sheet)
    if size.rows * size.columns > limits.max_cells:
        raise TooManyCells(size.sheet, size.rows, size.columns, limits.max_cells)


def column_number(letters: str) -> int:
    """A column's number from its letters: A is 1, Z 26, AA 27, ALL 1,000. ValueError for
    anything but upper-case A-Z."""
    if not letters or not (letters.isascii() and letters.isalpha() and letters.isupper()):
        raise ValueError(f"{letters!r} is not a column")
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
