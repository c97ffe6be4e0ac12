"""Request and response bodies of the importer API."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from importer_service.domain.model import Import, ImportStatus

MAPPED_FIELDS = ("phone", "first_name", "last_name", "display_name", "email", "country")


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PasteNumbers(Body):
    text: str = Field(
        max_length=2_000_000,
        description="Numbers separated by commas, tabs, semicolons or new lines",
    )
    default_region: str | None = Field(
        default=None, max_length=2, description="e.g. FR; default: your number's"
    )


class ColumnChoice(Body):
    """Which column holds what, by header as shown in `headers` (null: none)."""

    phone: str
    first_name: str | None = None
    last_name: str | None = None
    display_name: str | None = None
    email: str | None = None
    country: str | None = None
    default_region: str | None = Field(default=None, max_length=2)


class InviteRows(Body):
    rows: list[int] | None = Field(
        default=None, max_length=1_048_576, description="Row numbers; null: every ready row"
    )


class ImportView(BaseModel):
    import_id: UUID
    source: str
    filename: str | None
    status: ImportStatus
    progress: float = Field(description="0 to 1")
    total_rows: int | None
    counts: dict[str, int] | None = Field(description="Rows per status, once completed")
    headers: list[str]
    sheets: list[str]
    sheet: str | None
    mapping: dict[str, str | None] | None = Field(description="Field -> header of the column used")
    default_region: str
    error: dict[str, Any] | None
    created_at: datetime
    completed_at: datetime | None

    @classmethod
    def of(cls, job: Import) -> ImportView:
        mapping = None
        if job.mapping is not None:
            mapping = {f: job.headers[i] if i is not None and i < len(job.headers) else None
                       for f, i in job.mapping.items()}  # fmt: skip
        return cls(
            import_id=job.import_id, source=job.source, filename=job.filename, status=job.status,
            progress=round(job.progress, 4), total_rows=job.total_rows, counts=job.counts,
            headers=job.headers, sheets=job.sheets, sheet=job.sheet, mapping=mapping,
            default_region=job.default_region, error=job.error, created_at=job.created_at,
            completed_at=job.completed_at,
        )  # fmt: skip


class UploadView(ImportView):
    sample_rows: list[list[str]] = Field(description="The first rows, to check the columns")


class RowView(BaseModel):
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


class RowPage(BaseModel):
    items: list[RowView]
    next_after: int | None = Field(description="Pass as `after` for the next page; null at the end")


class RefusalView(BaseModel):
    row_number: int
    phone_e164: str | None
    reason_code: str = Field(examples=["country_not_allowed", "inviter_daily_cap"])
    reason: str = Field(description="Why, in a sentence for the inviter")
    refused_at: datetime


class RefusalPage(BaseModel):
    items: list[RefusalView]
    total: int = Field(description="Refused invitations of this import in all")
    next_after: int | None = Field(description="Pass as `after` for the next page; null at the end")


class InvitationsView(BaseModel):
    requested: int = Field(description="Invitations requested now")
    skipped: int = Field(description="Ready rows already invited before")
