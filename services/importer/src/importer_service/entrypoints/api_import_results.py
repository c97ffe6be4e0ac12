"""/v1/imports/{id}: the files of an import, streamed (a million rows in the memory of one
page): the error report of rejected rows, and every row with its status as CSV or .xlsx.
Every cell is neutralised against formula injection. Another user's import is 404."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from uuid import UUID

import asyncpg
from contacts_messaging.api import HostDep
from contacts_messaging.host import ServiceHost
from contacts_servicekit.web.requests import Caller, CallerDep, connection
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from importer_service.entrypoints.app_state import rules_of
from importer_service.entrypoints.documented import ROWS_PURGED, problems
from importer_service.handlers import results
from importer_service.handlers.imports import with_rows

router = APIRouter(prefix="/v1/imports", tags=["imports"])
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RESULTS: dict[str, tuple[str, Callable[[asyncpg.Pool, UUID], AsyncIterator[str | bytes]]]] = {
    "csv": (CSV, results.results_csv),
    "xlsx": (XLSX, results.results_xlsx),
}
_NOT_COMPLETED = (409, "Not every row has its status yet (`import_not_completed`)")


def _file(media_type: str, description: str) -> dict[int | str, dict[str, object]]:
    return {200: {"content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
                  "description": description}}  # fmt: skip


@router.get(
    "/{import_id}/error-report.csv", response_class=StreamingResponse,
    responses={**_file(CSV, "The rejected rows"), **problems(404, ROWS_PURGED)},
)  # fmt: skip
async def download_error_report(
    import_id: UUID, request: Request, caller: CallerDep, host: HostDep
) -> StreamingResponse:
    """The rejected rows (invalid, duplicate, your own number) with their reasons, as CSV."""
    async with connection(request) as conn:
        await with_rows(conn, caller.user_id, import_id, rules_of(request).retention)
    body = results.error_report(host.pool, import_id)
    return _download(body, CSV, f"import-{import_id}-errors.csv")


@router.get(
    "/{import_id}/results.csv", response_class=StreamingResponse,
    responses={**_file(CSV, "Every row with its status"), **problems(404, _NOT_COMPLETED, ROWS_PURGED)},
)  # fmt: skip
async def download_results_csv(
    import_id: UUID, request: Request, caller: CallerDep, host: HostDep
) -> StreamingResponse:
    """Every row of a completed import as CSV: its number, its cells as mapped (phone, names,
    email, country), its status, reason code and reason, and its number in E.164."""
    return await _results(request, caller, host, import_id, "csv")


@router.get(
    "/{import_id}/results.xlsx", response_class=StreamingResponse,
    responses={**_file(XLSX, "Every row with its status"), **problems(404, _NOT_COMPLETED, ROWS_PURGED)},
)  # fmt: skip
async def download_results_xlsx(
    import_id: UUID, request: Request, caller: CallerDep, host: HostDep
) -> StreamingResponse:
    """The rows of `results.csv` as an Excel workbook (a second sheet past 1,048,576 rows)."""
    return await _results(request, caller, host, import_id, "xlsx")


async def _results(
    request: Request, caller: Caller, host: ServiceHost, import_id: UUID, kind: str
) -> StreamingResponse:
    """The results file of `kind` (csv, xlsx), once the import is known completed and the
    caller's, its rows still kept (404, 409 and 410 are answered before the stream starts)."""
    retention = rules_of(request).retention
    async with connection(request) as conn:
        await results.completed(
            conn, caller.user_id, import_id, retention, "The results can be read"
        )
    media_type, write = RESULTS[kind]
    return _download(write(host.pool, import_id), media_type, f"import-{import_id}-results.{kind}")


def _download(
    body: AsyncIterator[str | bytes] | AsyncIterator[str], media_type: str, filename: str
) -> StreamingResponse:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return StreamingResponse(body, media_type=media_type, headers=headers)
