"""An import as the importer's handlers see it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from contacts_events.names import clean_name


class ImportStatus(StrEnum):
    UPLOADED = "uploaded"  # file stored, columns guessed; the mapping may be corrected
    EXTRACTING = "extracting"  # rows being read from the file with the mapping
    EXTRACTED = "extracted"  # rows ready for review
    VALIDATING = "validating"  # statuses being computed
    COMPLETED = "completed"
    FAILED = "failed"
    REPLACED = "replaced"  # the user went back and uploaded a corrected file


UNFINISHED = frozenset(
    {
        ImportStatus.UPLOADED,
        ImportStatus.EXTRACTING,
        ImportStatus.EXTRACTED,
        ImportStatus.VALIDATING,
    }
)
"""What a closure of the owner's account stops (it then ends `failed`)."""


@dataclass(frozen=True)
class Import:
    import_id: UUID
    owner_id: UUID
    source: str
    filename: str | None
    file_format: str | None
    sheets: list[dict[str, Any]]  # {"name", "has_phone_column"} of each sheet of a workbook
    sheet: str | None
    encoding: str | None  # a CSV file's text encoding
    headers: list[str]
    mapping: dict[str, int | None] | None
    default_region: str
    status: ImportStatus
    error: dict[str, Any] | None
    total_rows: int | None
    chunk_count: int | None
    parsed_chunks: int
    emitted_chunks: int
    counts: dict[str, int] | None  # rows per status: so far while validating, then final
    rows_parsed: int
    rows_done: int  # rows with their final status
    auto_start: bool  # start once the rows are read (asked for at upload)
    auto_invite: bool  # invite the ready rows once completed (asked for at upload)
    invitations: dict[str, int] | None  # what the invitation at completion did
    created_at: datetime
    completed_at: datetime | None
    finished_at: datetime | None  # when it became completed, failed or replaced
    rows_purged_at: datetime | None  # when the retention purge deleted its rows and file

    @classmethod
    def from_row(cls, row: Any) -> Import:
        data = {name: row[name] for name in cls.__dataclass_fields__}
        for name in ("sheets", "headers", "mapping", "error", "counts", "invitations"):
            if isinstance(data[name], str):
                data[name] = json.loads(data[name])
        data["status"] = ImportStatus(data["status"])
        return cls(**data)

    @property
    def progress(self) -> float:
        """0..1: parsing is the first half of the work, statuses and events the second."""
        if self.status is ImportStatus.COMPLETED:
            return 1.0
        if not self.chunk_count:
            return 0.0
        return (self.parsed_chunks + self.emitted_chunks) / (2 * self.chunk_count)


def row_name(display_name: str | None, first_name: str | None, last_name: str | None) -> str | None:
    """A row's name: its display name, else first and last name joined; None when blank.
    Cleaned as every name is (`contacts_events.names`), rows stored before that included."""
    name = clean_name(display_name or "")
    if not name:
        name = clean_name(" ".join(p for p in (first_name, last_name) if p))
    return name[:200] or None


def stored_name(cell: str | None) -> str | None:
    """A name cell as a row keeps it: cleaned (`contacts_events.names`); None when blank."""
    return clean_name(cell) or None if cell else None
