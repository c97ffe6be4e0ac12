"""/v1/imports: paste numbers or upload a list (in one call, if need be: columns, start and
invite with the file), list and read imports, confirm the columns, start. Another user's import
is 404. Rows and invitations: api_import_rows; files: api_import_results; live progress:
api_import_progress."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated
from uuid import UUID

from contacts_servicekit.web.idempotency import IdempotencyKey
from contacts_servicekit.web.requests import CallerDep, connection
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import JSONResponse

from importer_service.adapters.unit_of_work import PostgresImportsWork
from importer_service.entrypoints.answers import answered_once, in_unit_of_work
from importer_service.entrypoints.app_state import (
    imports_work,
    reader_of,
    rules_of,
    transactions_of,
)
from importer_service.entrypoints.cursors import CursorQuery, before_import, import_cursor
from importer_service.entrypoints.documented import ROWS_PURGED, created, problems
from importer_service.entrypoints.schemas import ColumnChoice, PasteNumbers
from importer_service.entrypoints.upload_form import UploadForm, save_bounded
from importer_service.entrypoints.views import ImportPage, ImportView, UploadView
from importer_service.handlers import imports as use_cases
from importer_service.handlers import mapping, uploads

router = APIRouter(prefix="/v1/imports", tags=["imports"])
_NOT_STARTED = (
    409,
    "The import has started: its columns can no longer change (`import_started`); or it "
    "waited for them longer than `IMPORT_RETENTION_DAYS` (`import_expired`)",
)


@router.post(
    "/pasted", status_code=201, response_model=ImportView,
    responses={**created("/v1/imports/{import_id}", "The import, validating"),
               **problems(413, 429)},
)  # fmt: skip
async def paste_numbers(
    body: PasteNumbers, request: Request, caller: CallerDep, idempotency_key: IdempotencyKey = None,
) -> JSONResponse:  # fmt: skip
    """Paste one or many numbers; every number gets its status at once (watch
    `/progress`, or poll the import until `completed`, then read its rows). Matching them
    spends the caller's quota (429 over it). With an `Idempotency-Key`, a retry gets the first
    answer and creates and spends nothing more."""

    async def paste(work: PostgresImportsWork) -> ImportView:
        job = await use_cases.paste(
            work, caller.user_id, body.text, body.default_region, reader_of(request).limits,
            rules_of(request).fallback_region,
        )  # fmt: skip
        return ImportView.of(job, rules_of(request).retention)

    use_case = in_unit_of_work(request, caller, paste)
    return await answered_once(request, caller, idempotency_key, body.model_dump(), 201, use_case)


@router.post(
    "/files", status_code=201, response_model=UploadView,
    responses={**created("/v1/imports/{import_id}", "The import, its columns and a few rows"),
               **problems(404, 413, 429)},
)  # fmt: skip
async def upload_file(
    form: Annotated[UploadForm, Form(media_type="multipart/form-data")], request: Request,
    caller: CallerDep, idempotency_key: IdempotencyKey = None,
) -> JSONResponse:  # fmt: skip
    """Upload a list; its sheets (a workbook's), columns and a few rows are shown for checking.
    With the columns (`phone`, ...), its rows are read at once; with `start=true` it then
    starts by itself (429 now when the quota cannot cover its rows), and with `invite=true`
    its ready rows are invited once it completes: one call, then watch `/progress`. 404 for a
    `replaces` that is not yours; 413 over the size limit; 422 naming the field at fault
    (`sheet` lists the sheets, `encoding`, a column, the file). With an `Idempotency-Key`, a
    retry with the same form and file gets the first answer and creates nothing more."""
    request_fields = form.request()
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        path = Path(folder) / "upload"
        digest = await save_bounded(form.file, path, reader_of(request).limits.max_bytes)
        inspected = await uploads.inspect(reader_of(request), path, request_fields)

        async def store(work: PostgresImportsWork) -> UploadView:
            job = await uploads.store(
                work, caller.user_id, path, request_fields, inspected, rules_of(request)
            )
            return UploadView(
                **ImportView.of(job, rules_of(request).retention).model_dump(),
                sample_rows=inspected.table.sample,
            )

        fingerprint = form.fingerprint(digest)
        use_case = in_unit_of_work(request, caller, store)
        return await answered_once(request, caller, idempotency_key, fingerprint, 201, use_case)


@router.get("", response_model=ImportPage, responses=problems())
async def list_imports(
    request: Request, caller: CallerDep, cursor: CursorQuery = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ImportPage:  # fmt: skip
    """Your imports, newest first, `limit` at a time (`cursor`: the previous page's
    `next_cursor`; one the API did not make is 422 `bad_cursor`)."""
    async with connection(request) as conn:
        work = imports_work(request, conn, caller.event_context())
        found, last = await use_cases.page(work, caller.user_id, limit, before_import(cursor))
    retention = rules_of(request).retention
    return ImportPage(
        items=[ImportView.of(job, retention) for job in found],
        next_cursor=import_cursor(last.created_at, last.import_id) if last else None,
    )


@router.get("/{import_id}", response_model=ImportView, responses=problems(404))
async def read_import(import_id: UUID, request: Request, caller: CallerDep) -> ImportView:
    """Status and progress (rows validated / total) while it runs; counts per status after."""
    async with connection(request) as conn:
        work = imports_work(request, conn, caller.event_context())
        job = await use_cases.read(work, caller.user_id, import_id)
    return ImportView.of(job, rules_of(request).retention)


@router.put(
    "/{import_id}/mapping", response_model=UploadView,
    responses=problems(404, _NOT_STARTED, ROWS_PURGED),
)  # fmt: skip
async def confirm_columns(
    import_id: UUID, body: ColumnChoice, request: Request, caller: CallerDep
) -> UploadView:
    """Confirm or correct which column holds what ("Next"); the rows are then read for review.
    With `sheet` (another sheet of the workbook) or `encoding` (another reading of the CSV
    file), the file is read again first: its headers, column guess and `sample_rows` change,
    and without `phone` the import waits for the columns (`uploaded`)."""
    columns = body.model_dump(include={"phone", "first_name", "last_name", "display_name",
                                       "email", "country"})  # fmt: skip
    choice = mapping.ColumnsChoice(
        columns if body.phone is not None else None, body.sheet, body.encoding,
        body.default_region,
    )  # fmt: skip
    job, sample = await mapping.confirm_columns(
        transactions_of(request, caller), reader_of(request), caller.user_id, import_id, choice,
        rules_of(request).retention,
    )  # fmt: skip
    return UploadView(
        **ImportView.of(job, rules_of(request).retention).model_dump(), sample_rows=sample
    )


@router.post(
    "/{import_id}/start", response_model=ImportView,
    responses=problems(404, (409, "The rows are not read yet (`import_not_ready`)"), 429),
)  # fmt: skip
async def start_import(
    import_id: UUID, request: Request, caller: CallerDep, idempotency_key: IdempotencyKey = None,
) -> JSONResponse:  # fmt: skip
    """ "Import contacts": give every row its status (idempotent once started). Matching the
    numbers spends the caller's quota (429 over it; the import can be started again later)."""

    async def start(work: PostgresImportsWork) -> ImportView:
        job = await use_cases.start(work, caller.user_id, import_id)
        return ImportView.of(job, rules_of(request).retention)

    use_case = in_unit_of_work(request, caller, start)
    return await answered_once(request, caller, idempotency_key, {}, 200, use_case)
