"""/v1/imports: paste numbers or upload a list, confirm the columns, review, import, invite,
download the error report. Another user's import is 404."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

import phonenumbers
from contacts_messaging.api import CallerDep, HostDep, OutboxDep, transaction
from contacts_servicekit.errors import ERROR_RESPONSES, ApiError, ErrorView, Invalid
from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import StreamingResponse

from importer_service.adapters import imports_repository as imports
from importer_service.adapters import projection, refusals
from importer_service.adapters.file_reader import FileReader
from importer_service.adapters.match_quota import MatchQuota
from importer_service.adapters.sources.mapping import ColumnMapping
from importer_service.domain.model import ImportStatus
from importer_service.entrypoints.schemas import (
    MAPPED_FIELDS,
    ColumnChoice,
    ImportView,
    InvitationsView,
    InviteRows,
    PasteNumbers,
    RefusalPage,
    RefusalView,
    RowPage,
    RowView,
    UploadView,
)  # fmt: skip
from importer_service.handlers import imports as use_cases
from importer_service.handlers import results
from importer_service.settings import ImporterSettings

router = APIRouter(prefix="/v1/imports", tags=["imports"], responses=ERROR_RESPONSES)


class TooLarge(ApiError):
    status = 413


def _settings(request: Request) -> ImporterSettings:
    settings: ImporterSettings = request.app.state.host.settings
    return settings


def _quota(settings: ImporterSettings) -> MatchQuota:
    return MatchQuota(settings.phone_match_burst, settings.phone_match_per_hour)


def _reader(request: Request) -> FileReader:
    reader: FileReader = request.app.state.file_reader
    return reader


_QUOTA: dict[int | str, dict[str, Any]] = {
    429: {"model": ErrorView, "description": "over the phone-matching quota; see Retry-After"}
}


@router.post("/pasted", status_code=201, response_model=ImportView, responses=_QUOTA)
async def paste(
    body: PasteNumbers, request: Request, caller: CallerDep, outbox: OutboxDep
) -> ImportView:
    """Paste one or many numbers; every number gets its status at once (poll the import until
    `completed`, then read its rows)."""
    settings = _settings(request)
    async with transaction(request) as conn:
        region = await _region(conn, caller.user_id, body.default_region, settings)
        job = await use_cases.paste(
            conn, outbox, caller.event_context(), caller.user_id, body.text, region,
            _reader(request).limits, settings.import_chunk_rows,
        )  # fmt: skip
        await _quota(settings).spend(conn, caller.user_id, job.total_rows or 0)
    return ImportView.of(job)


@router.post(
    "/files",
    status_code=201,
    response_model=UploadView,
    responses={413: {"description": "too large"}},
)
async def upload(
    request: Request, caller: CallerDep, outbox: OutboxDep,
    file: Annotated[UploadFile, File(description=".csv, .xls, .xlsx or .ods")],
    default_region: Annotated[str | None, Form(max_length=2)] = None,
    replaces: Annotated[UUID | None, Form(description="The import this corrected file replaces (Back)")] = None,
) -> UploadView:  # fmt: skip
    """Upload a list; its columns are recognised and shown with a few rows for checking."""
    settings = _settings(request)
    filename = file.filename or "upload"
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        path = Path(folder) / "upload"
        await _save_bounded(file, path, settings.import_max_bytes)
        inspected = await use_cases.inspect(_reader(request), path, filename)
        async with transaction(request) as conn:
            region = await _region(conn, caller.user_id, default_region, settings)
            job = await use_cases.upload(
                conn, outbox, caller.event_context(), caller.user_id, path, filename, inspected,
                region, replaces,
            )  # fmt: skip
    return UploadView(**ImportView.of(job).model_dump(), sample_rows=inspected[1].sample)


@router.get("", response_model=list[ImportView])
async def list_imports(
    request: Request, caller: CallerDep, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> list[ImportView]:
    async with transaction(request) as conn:
        return [ImportView.of(j) for j in await imports.list_for_owner(conn, caller.user_id, limit)]


@router.get("/{import_id}", response_model=ImportView)
async def read_import(import_id: UUID, request: Request, caller: CallerDep) -> ImportView:
    """Status and progress (rows validated / total) while it runs; counts per status after."""
    async with transaction(request) as conn:
        return ImportView.of(await use_cases.owned(conn, caller.user_id, import_id))


@router.put("/{import_id}/mapping", response_model=ImportView)
async def confirm_columns(
    import_id: UUID, body: ColumnChoice, request: Request, caller: CallerDep, outbox: OutboxDep
) -> ImportView:
    """Confirm or correct which column holds what ("Next"); the rows are then read for review."""
    async with transaction(request) as conn:
        job = await use_cases.owned(conn, caller.user_id, import_id)
        mapping = _mapping_from(body, job.headers)
        region = _checked_region(body.default_region) if body.default_region else None
        job = await use_cases.confirm_mapping(
            conn, outbox, caller.event_context(), caller.user_id, import_id, mapping, region
        )
    return ImportView.of(job)


@router.get("/{import_id}/rows", response_model=RowPage)
async def rows(
    import_id: UUID, request: Request, caller: CallerDep,
    after: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    status: Annotated[str | None, Query(max_length=40)] = None,
) -> RowPage:  # fmt: skip
    """The rows: for review before importing, with their statuses after."""
    async with transaction(request) as conn:
        await use_cases.owned(conn, caller.user_id, import_id)
        found = await imports.page_of_rows(conn, import_id, after, limit + 1, status)
    items = [RowView(**{k: r[k] for k in RowView.model_fields}) for r in found[:limit]]
    return RowPage(items=items, next_after=items[-1].row_number if len(found) > limit else None)


@router.post("/{import_id}/start", response_model=ImportView, responses=_QUOTA)
async def start(
    import_id: UUID, request: Request, caller: CallerDep, outbox: OutboxDep
) -> ImportView:
    """ "Import contacts": give every row its status (idempotent). Matching the numbers
    spends the caller's quota (429 over it; the import can be started again later)."""
    settings = _settings(request)
    async with transaction(request) as conn:
        ready = await use_cases.owned(conn, caller.user_id, import_id, for_update=True)
        if ready.status is ImportStatus.EXTRACTED:
            await _quota(settings).spend(conn, caller.user_id, ready.total_rows or 0)
        job = await use_cases.start(
            conn, outbox, caller.event_context(), caller.user_id, import_id,
            settings.import_chunk_rows,
        )  # fmt: skip
    return ImportView.of(job)


@router.post("/{import_id}/invitations", response_model=InvitationsView)
async def invite(
    import_id: UUID, body: InviteRows, request: Request, caller: CallerDep, outbox: OutboxDep
) -> InvitationsView:
    """ "Invite contact": SMS invitations for every ready row, or the rows chosen."""
    async with transaction(request) as conn:
        requested, skipped = await results.invite(
            conn, outbox, caller.event_context(), caller.user_id, import_id, body.rows
        )
    return InvitationsView(requested=requested, skipped=skipped)


@router.get("/{import_id}/invitations/refusals", response_model=RefusalPage)
async def invitation_refusals(
    import_id: UUID, request: Request, caller: CallerDep,
    after: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> RefusalPage:  # fmt: skip
    """The rows whose invitation the invitations service refused, and why (a number outside
    the company's countries, a daily cap, a premium-rate number...). A refused row can be
    invited again once that has changed."""
    async with transaction(request) as conn:
        await use_cases.owned(conn, caller.user_id, import_id)
        found, total = await refusals.page(conn, import_id, after, limit + 1)
    items = [RefusalView(**dict(r)) for r in found[:limit]]
    more = len(found) > limit
    return RefusalPage(items=items, total=total, next_after=items[-1].row_number if more else None)


@router.get("/{import_id}/error-report.csv", response_class=StreamingResponse)
async def error_report(import_id: UUID, caller: CallerDep, host: HostDep) -> StreamingResponse:
    """The rejected rows with their reasons, as CSV (cells neutralised against formulas)."""
    async with host.pool.acquire() as conn:
        await use_cases.owned(conn, caller.user_id, import_id)

    async def body() -> AsyncIterator[str]:
        async with host.pool.acquire() as conn, conn.transaction():
            async for chunk in results.error_report(conn, caller.user_id, import_id):
                yield chunk

    headers = {"Content-Disposition": f'attachment; filename="import-{import_id}-errors.csv"'}
    return StreamingResponse(body(), media_type="text/csv; charset=utf-8", headers=headers)


async def _save_bounded(upload: UploadFile, path: Path, max_bytes: int) -> None:
    """Copy the upload to `path`; 413 as soon as it passes `max_bytes` (nothing is kept)."""
    written = 0
    with path.open("wb") as out:
        while chunk := await upload.read(1024 * 1024):
            written += len(chunk)
            if written > max_bytes:
                raise TooLarge(
                    "file_too_large",
                    f"The file is larger than {max_bytes // (1024 * 1024)} MB; nothing was imported.",
                    "file",
                )
            out.write(chunk)
    if written == 0:
        raise Invalid("empty_file", "The file is empty.", "file")


def _checked_region(region: str) -> str:
    if region.upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise Invalid(
            "unknown_region",
            f"{region!r} is not a country code such as FR or GB.",
            "default_region",
        )
    return region.upper()


async def _region(conn, owner_id: UUID, requested: str | None, settings: ImporterSettings) -> str:  # type: ignore[no-untyped-def]
    """The import's default region: the request's, else the country of the user's own number."""
    if requested:
        return _checked_region(requested)
    phone = await projection.owner_phone(conn, owner_id)
    if phone:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(phone))
        if region and region != "ZZ":
            return str(region)
    return settings.fallback_region


def _mapping_from(choice: ColumnChoice, headers: list[str]) -> ColumnMapping:
    def index(field: str) -> int | None:
        header = getattr(choice, field)
        if header is None:
            return None
        if header not in headers:
            raise Invalid(
                "unknown_column",
                f"There is no column {header!r}; the columns are: {', '.join(map(repr, headers))}.",
                field,
            )
        return headers.index(header)

    return ColumnMapping(**{field: index(field) for field in MAPPED_FIELDS})
