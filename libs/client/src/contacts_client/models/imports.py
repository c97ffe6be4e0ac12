"""Imports of pasted numbers and files, their rows and their progress (importer)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contacts_client.models.base import Model
from pydantic import BaseModel, ConfigDict

FINAL_STATUSES = frozenset({"completed", "failed", "replaced"})


class ColumnMapping(BaseModel):
    """Which column holds what, by its header as the upload answer lists it in ``headers``."""

    model_config = ConfigDict(extra="forbid")

    phone: str
    first_name: str | None = None
    last_name: str | None = None
    display_name: str | None = None
    email: str | None = None
    country: str | None = None


class Sheet(Model):
    """A workbook's sheet; the upload reads the first whose header row has a phone column."""

    name: str
    has_phone_column: bool | None = None


class InvitationsRequested(Model):
    requested: int  # invitations requested now
    skipped: int  # ready rows already invited before


class Import(Model):
    import_id: UUID
    source: str  # "pasted" or "file"
    filename: str | None
    status: str  # e.g. extracted, importing, completed, failed
    progress: float  # 0 to 1
    total_rows: int | None
    rows_done: int | None = None  # rows with their final status so far
    counts: dict[str, int] | None  # rows per status: so far while validating, then all
    headers: list[str]
    sheets: list[Sheet]  # a workbook's ([] for a CSV file)
    sheet: str | None  # the sheet read
    encoding: str | None = None  # the text encoding a CSV file is read in (detected)
    mapping: dict[str, str | None] | None  # field -> header of the column used
    default_region: str
    auto_start: bool = False  # starts by itself once its rows are read (upload)
    auto_invite: bool = False  # invites its ready rows once completed (upload)
    invitations: InvitationsRequested | None = None  # what that invitation did
    error: dict[str, Any] | None  # why it failed, or why it could not start by itself
    created_at: datetime
    completed_at: datetime | None
    finished_at: datetime | None = None  # when it became completed, failed or replaced
    rows_kept_until: datetime | None = None  # its rows and results files go then (410 after)
    rows_purged_at: datetime | None = None  # when they went; its counts stay

    @property
    def finished(self) -> bool:
        return self.status in FINAL_STATUSES


class Upload(Import):
    """An uploaded file's import, with its first rows to check the recognised columns."""

    sample_rows: list[list[str]] = []  # [] when the file was not read


class Row(Model):
    row_number: int
    raw_phone: str
    phone_e164: str | None
    display_name: str | None
    first_name: str | None
    last_name: str | None
    email: str | None
    country: str | None
    status: str | None
    reason_code: str | None
    reason: str | None
    matched_user_id: UUID | None


class Refusal(Model):
    """A row whose invitation the invitations service refused, and why."""

    row_number: int
    phone_e164: str | None
    reason_code: str
    reason: str
    refused_at: datetime


class ImportProgress(Model):
    """One event of an import's progress stream: its ``state``, rows read and done of the
    total, counts per status so far; ``final`` on the last event (the service's ``end``)."""

    state: str
    total_rows: int | None = None
    rows_parsed: int | None = None  # first pass
    rows_done: int | None = None  # rows with their final status
    progress: float | None = None  # 0 to 1
    counts: dict[str, int] | None = None
    error: dict[str, Any] | None = None
    final: bool = False

    @property
    def finished(self) -> bool:
        return self.final or self.state in FINAL_STATUSES
