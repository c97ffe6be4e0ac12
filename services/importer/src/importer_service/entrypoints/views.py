"""What the importer API answers: an import, its rows, its refusals, its progress."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, Field

from importer_service.domain.model import Import, ImportStatus
from importer_service.domain.retention import ImportRetention
from importer_service.handlers.columns import headers_of

NextCursor = Annotated[
    str | None, Field(description="Pass as `cursor` for the next page; null at the end")
]


class SheetView(BaseModel):
    name: str
    has_phone_column: bool | None = Field(
        description="Whether its header row has a column that reads as a phone number"
    )


class InvitationsView(BaseModel):
    requested: int = Field(description="Invitations requested now")
    skipped: int = Field(description="Ready rows already invited before")


class ImportView(BaseModel):
    import_id: UUID
    source: str
    filename: str | None
    status: ImportStatus
    progress: float = Field(description="0 to 1")
    total_rows: int | None
    rows_done: int = Field(description="Rows with their final status so far")
    counts: dict[str, int] | None = Field(
        description="Rows per status: so far while validating, all of them once completed"
    )
    headers: list[str]
    sheets: list[SheetView] = Field(description="A workbook's sheets ([] for a CSV file)")
    sheet: str | None = Field(description="The sheet read")
    encoding: str | None = Field(description="The text encoding a CSV file is read in")
    mapping: dict[str, str | None] | None = Field(description="Field -> header of the column used")
    default_region: str
    auto_start: bool = Field(description="Starts by itself once its rows are read (upload)")
    auto_invite: bool = Field(description="Invites its ready rows once completed (upload)")
    invitations: InvitationsView | None = Field(
        description="What the invitation at completion did (auto_invite)"
    )
    error: dict[str, Any] | None = Field(
        description="Why it failed, or (`rate_limited`, with `retry_after` seconds) why it "
        "could not start by itself"
    )
    created_at: datetime
    completed_at: datetime | None
    finished_at: datetime | None = Field(
        description="When it became completed, failed or replaced (null before)"
    )
    rows_kept_until: datetime | None = Field(
        description="Its rows, refusals and files are deleted then (`IMPORT_RETENTION_DAYS` "
        "after it finished); the import and its counts stay. Null while it runs or waits"
    )
    rows_purged_at: datetime | None = Field(
        description="When its rows and files were deleted: they then answer 410 "
        "`import_rows_purged` (null while they are kept)"
    )

    @classmethod
    def of(cls, job: Import, retention: ImportRetention) -> ImportView:
        return cls(
            import_id=job.import_id, source=job.source, filename=job.filename, status=job.status,
            progress=round(job.progress, 4), total_rows=job.total_rows, rows_done=job.rows_done,
            counts=job.counts, headers=job.headers, sheets=[SheetView(**s) for s in job.sheets],
            sheet=job.sheet, encoding=job.encoding,
            mapping=headers_of(job.mapping, job.headers) if job.mapping is not None else None,
            default_region=job.default_region, auto_start=job.auto_start,
            auto_invite=job.auto_invite, invitations=job.invitations, error=job.error,
            created_at=job.created_at, completed_at=job.completed_at, finished_at=job.finished_at,
            rows_kept_until=retention.rows_kept_until(job), rows_purged_at=job.rows_purged_at,
        )  # fmt: skip


class UploadView(ImportView):
    sample_rows: list[list[str]] = Field(
        description="The first rows of the sheet read, to check the columns (after a mapping "
        "that read the file again; [] when the file was not read)"
    )


class ImportPage(BaseModel):
    items: list[ImportView]
    next_cursor: NextCursor


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
    next_cursor: NextCursor


class RefusalView(BaseModel):
    row_number: int
    phone_e164: str | None
    reason_code: str = Field(examples=["country_not_allowed", "inviter_daily_cap"])
    reason: str = Field(description="Why, in a sentence for the inviter")
    refused_at: datetime


class RefusalPage(BaseModel):
    items: list[RefusalView]
    total: int = Field(description="Refused invitations of this import in all")
    next_cursor: NextCursor
