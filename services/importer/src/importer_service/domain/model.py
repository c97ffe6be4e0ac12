"""An import as the importer's handlers see it, and the changes of its life: each method that
changes its status checks the change against the one table of `lifecycle.ALLOWED`, and notes
which columns it changed (`unsaved`), which `imports_repository.save` writes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from contacts_events.names import clean_name

from importer_service.domain.lifecycle import (
    UNFINISHED,
    ForbiddenTransition,
    ImportStatus,
    checked_change,
    checked_creation,
    may_change,
)

__all__ = [
    "JSON_COLUMNS",
    "UNFINISHED",
    "Import",
    "ImportStatus",
    "NewImport",
    "row_name",
    "stored_name",
]


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
    started_at: datetime | None = None  # when its validation started
    chunk_rows: int | None = None  # rows per work item, chosen at its start (None: not yet,
    # or started by an earlier release: chunk_window.row_chunks)
    unsaved: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    """The columns changed since it was read, which `imports_repository.save` writes: only
    those, so the counters the chunk steps add to meanwhile are never written back stale."""

    @classmethod
    def from_row(cls, row: Any) -> Import:
        data = {f.name: row[f.name] for f in fields(cls) if f.name != "unsaved"}
        for name in JSON_COLUMNS:
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

    def may_become(self, status: ImportStatus) -> bool:
        return may_change(self.status, status)

    def read_again(
        self, sheets: list[dict[str, Any]], sheet: str | None, encoding: str | None,
        headers: list[str], mapping: dict[str, int | None],
    ) -> Import:  # fmt: skip
        """Another sheet or encoding of its file read: it waits for its columns again, the
        rows read before (if any) forgotten."""
        return self._became(
            ImportStatus.UPLOADED, sheets=sheets, sheet=sheet, encoding=encoding,
            headers=headers, mapping=mapping, error=None, total_rows=None,
        )  # fmt: skip

    def columns_confirmed(self, mapping: dict[str, int | None], default_region: str) -> Import:
        """The columns confirmed ("Next"): its rows are read from the file."""
        return self._became(
            ImportStatus.EXTRACTING, mapping=mapping, default_region=default_region,
            error=None, total_rows=None,
        )  # fmt: skip

    def in_region(self, default_region: str) -> Import:
        """Its national numbers read in another country (no change of status)."""
        return self._changed(default_region=default_region)

    def extracted(self, total_rows: int) -> Import:
        return self._became(ImportStatus.EXTRACTED, total_rows=total_rows)

    def failed(self, code: str, message: str) -> Import:
        """Ended by a fault the person is shown (`error`), not retried."""
        return self._became(ImportStatus.FAILED, error={"error": code, "message": message})

    def start_refused(self, error: dict[str, Any]) -> Import:
        """Its start over the owner's quota: it stays extracted, `error` says when to retry."""
        self._while(ImportStatus.EXTRACTED, ImportStatus.VALIDATING)
        return self._changed(error=error)

    def started(self, chunk_count: int, at: datetime, chunk_rows: int | None = None) -> Import:
        """Its validation queued in `chunk_count` chunks of `chunk_rows` rows: progress and
        counts from zero."""
        return self._became(
            ImportStatus.VALIDATING, chunk_count=chunk_count, parsed_chunks=0, emitted_chunks=0,
            rows_parsed=0, rows_done=0, counts=None, error=None, started_at=at,
            chunk_rows=chunk_rows,
        )  # fmt: skip

    def completed(self, counts: dict[str, int], at: datetime) -> Import:
        return self._became(ImportStatus.COMPLETED, counts=counts, completed_at=at)

    def invited(self, requested: int, skipped: int) -> Import:
        """What the invitation at completion (`invite=true`) did."""
        self._while(ImportStatus.COMPLETED, ImportStatus.COMPLETED)
        return self._changed(invitations={"requested": requested, "skipped": skipped})

    def replaced(self) -> Import:
        """ "Back" with a corrected file: it stops where it is."""
        return self._became(ImportStatus.REPLACED)

    def _became(self, status: ImportStatus, **changes: Any) -> Import:
        return self._changed(status=checked_change(self.status, status), **changes)

    def _while(self, status: ImportStatus, meant: ImportStatus) -> None:
        """A change made only in `status`, on the way to `meant`."""
        if self.status is not status:
            raise ForbiddenTransition(self.status, meant)

    def _changed(self, **changes: Any) -> Import:
        return replace(self, unsaved=self.unsaved | changes.keys(), **changes)


@dataclass(frozen=True)
class NewImport:
    """An import as it is created (the columns Postgres fills in left out): an upload,
    `uploaded` or `extracting` when its columns came with it, or pasted numbers, `extracted`."""

    import_id: UUID
    owner_id: UUID
    source: str  # "file" or "pasted"
    status: ImportStatus
    default_region: str
    total_rows: int | None = None  # known at once for pasted numbers
    filename: str | None = None
    file_format: str | None = None
    sheets: list[dict[str, Any]] = field(default_factory=list)
    sheet: str | None = None
    encoding: str | None = None
    headers: list[str] = field(default_factory=list)
    mapping: dict[str, int | None] | None = None
    replaces: UUID | None = None  # the import a corrected file replaces ("Back")
    auto_start: bool = False
    auto_invite: bool = False

    def __post_init__(self) -> None:
        checked_creation(self.status)


JSON_COLUMNS = ("sheets", "headers", "mapping", "error", "counts", "invitations")


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
