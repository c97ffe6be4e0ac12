"""A table read from a file: its header names, then its data rows in batches."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType

Batch = tuple[int, list[list[str]]]
DEFAULT_BATCH_ROWS = 50_000


@dataclass(frozen=True)
class SheetInfo:
    """A sheet of a workbook, and whether its header row has a column that reads as a phone."""

    name: str
    has_phone_column: bool


class Table(ABC):
    """One CSV file or one sheet of a workbook.

    `sheets` are the workbook's sheets ([] for a CSV file) and `sheet` the name of the one read
    (None for a CSV file); `headers` the header row's cells as names (see `header_names`);
    `encoding` the text encoding a CSV file is read in (None for a workbook); `data_rows` how
    many rows hold something (blank ones aside), counted when the table was opened."""

    def __init__(
        self, headers: list[str], sheets: list[SheetInfo], sheet: str | None, *,
        encoding: str | None = None, data_rows: int = 0,
    ) -> None:  # fmt: skip
        self.headers = headers
        self.data_rows = data_rows
        self.sheets = sheets
        self.sheet = sheet
        self.encoding = encoding

    @abstractmethod
    def batches(self, size: int = DEFAULT_BATCH_ROWS) -> Iterator[Batch]:
        """The data rows (never the header), at most `size` a batch, as `(first_row_number,
        rows)`: a batch's rows are numbered `first_row_number`, `first_row_number + 1`, ...
        as a spreadsheet shows them, so the header is row 1 and the first data row is row 2
        (unless blank lines come before the header: they count too). Each row holds one string
        per header, as the person sees it ("" for an empty cell). Empty rows are kept, so that
        the numbering stays true: skip them if need be (`not any(row)`). Each call starts
        again from the first data row."""

    @abstractmethod
    def row_count(self) -> int:
        """How many rows `batches` yields (counted when the table was opened)."""

    def close(self) -> None:  # noqa: B027 (a hook: only tables with temporary files need it)
        """Let go of temporary files (also done when the table is garbage-collected)."""

    def __enter__(self) -> Table:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
