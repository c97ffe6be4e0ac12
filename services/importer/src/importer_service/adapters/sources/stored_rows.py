"""A table's rows as the import stores them: the mapped cells only, blank rows left out, and no
cell longer than the limit.

A cell over `max_cell_chars` is cut to the limit and its row gets an error naming the column
(`cell_too_long`): the row is shown and reported like an invalid number, and the rest of the
list is imported. A cell holding a NUL character refuses the whole file instead: that is binary
data, not text a person typed (the sniffer refuses it in a file's first bytes, this finds it
further on), and Postgres could not store it anyway.
"""

from __future__ import annotations

from collections.abc import Sequence

from importer_service.adapters.sources.errors import UnsupportedFile
from importer_service.adapters.sources.mapping import LABELS, ColumnMapping

StoredRow = tuple[int, str, str | None, str | None, str | None, str | None, str | None,
                  str | None, str | None]  # fmt: skip
"""row_number, raw_phone, display_name, first_name, last_name, email, country, reason_code,
reason: the order of `import_rows_repository.ROW_FIELDS`."""

STORED_FIELDS = ("phone", "display_name", "first_name", "last_name", "email", "country")


class RowReader:
    """Turns a table's batches into stored rows with one mapping and one cell-length limit."""

    def __init__(self, headers: Sequence[str], mapping: ColumnMapping, max_cell_chars: int):
        self.headers = headers
        self.max_cell_chars = max_cell_chars
        self.columns = [getattr(mapping, field) for field in STORED_FIELDS]
        self.labels = [LABELS[field] for field in STORED_FIELDS]

    def stored(self, first_row: int, rows: Sequence[Sequence[str]]) -> list[StoredRow]:
        """The batch's rows numbered from `first_row`, without the blank ones."""
        kept: list[StoredRow] = []
        for offset, cells in enumerate(rows):
            fields = [_cell(cells, index) for index in self.columns]
            if not any(fields) and not any(cell.strip() for cell in cells):
                continue  # a blank row: every cell empty or white space
            kept.append(self._row(first_row + offset, fields))
        return kept

    def _row(self, number: int, fields: list[str | None]) -> StoredRow:
        error: tuple[str | None, str | None] = (None, None)
        for position, value in enumerate(fields):
            if value is None:
                continue
            if "\x00" in value:
                raise self._binary(number, position)
            if len(value) > self.max_cell_chars:
                error = error if error[0] else self._too_long(position, len(value))
                fields[position] = value[: self.max_cell_chars]
        phone, display_name, first_name, last_name, email, country = fields
        return (number, phone or "", display_name, first_name, last_name, email, country, *error)

    def _too_long(self, position: int, length: int) -> tuple[str, str]:
        return "cell_too_long", (
            f'The {self.labels[position]} cell (column "{self._header(position)}") holds '
            f"{length:,} characters; at most {self.max_cell_chars:,} are read. Shorten it."
        )

    def _binary(self, number: int, position: int) -> UnsupportedFile:
        return UnsupportedFile(
            "binary_content",
            f'Row {number:,}, column "{self._header(position)}", holds a NUL character: the '
            "file holds binary data, not only text. Save it again as CSV or .xlsx from your "
            "spreadsheet and upload it again.",
        )

    def _header(self, position: int) -> str:
        index = self.columns[position]
        return self.headers[index] if index is not None and index < len(self.headers) else "?"


def _cell(cells: Sequence[str], index: int | None) -> str | None:
    if index is None or index >= len(cells):
        return None
    return cells[index].strip() or None
