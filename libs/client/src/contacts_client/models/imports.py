"""Imports of pasted numbers and files, their rows and their progress (importer)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contacts_client.models.base import Model
from pydantic import BaseModel, ConfigDict

FINAL_STATUSES = frozenset({"completed", "failed"})


class ColumnMapping(BaseModel):
    """Which column holds what, by its header as the upload answer lists it in ``headers``."""

    model_config = ConfigDict(extra="forbid")

    phone: str
    first_name: str | None = None
    last_name: str | None = None
    display_name: str | None = None
    email: str | None = None
    country: str | None = None


class Import(Model):
    import_id: UUID
    source: str  # "pasted" or "file"
    filename: str | None
    status: str  # e.g. extracted, importing, completed, failed
    progress: float  # 0 to 1
    total_rows: int | None
    counts: dict[str, int] | None  # rows per status, once completed
    headers: list[str]
    sheets: list[str]
    sheet: str | None
    mapping: dict[str, str | None] | None  # field -> header of the column used
    default_region: str
    error: dict[str, Any] | None
    created_at: datetime
    completed_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.status in FINAL_STATUSES


class Upload(Import):
    """An uploaded file's import, with its first rows to check the recognised columns."""

    sample_rows: list[list[str]]


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


class InvitationsRequested(Model):
    requested: int  # invitations requested now
    skipped: int  # ready rows already invited before


class ImportProgress(Model):
    """One event of an import's progress stream: rows done of the total, counts so far, and
    the status (the last event has a final one: ``completed`` or ``failed``)."""

    status: str
    rows_done: int | None = None
    total_rows: int | None = None
    counts: dict[str, int] | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINAL_STATUSES
