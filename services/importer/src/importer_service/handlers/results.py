"""After the statuses: inviting the ready rows, and the files of a completed import (the error
report of rejected rows; every row with its status as CSV or .xlsx).

The files are streamed page by page (keyset pages of `PAGE_ROWS` rows, each read on a pooled
connection held only while it is read, so a slow download holds no connection), in memory
bounded by one page whatever the import's size. Their cells are neutralised against formula
injection (`report.neutralise`). A completed import's rows no longer change, so the pages
agree with each other.
"""

from __future__ import annotations

import asyncio
import io
import uuid
from collections.abc import AsyncIterator, Iterable, Sequence

import asyncpg
from contacts_events import RowStatus
from contacts_servicekit.domain_errors import Conflicting

from importer_service.adapters.sources.report import write_csv
from importer_service.adapters.sources.report_xlsx import Cell, XlsxStream
from importer_service.domain.model import Import, ImportStatus, row_name
from importer_service.domain.retention import ImportRetention
from importer_service.handlers.imports import mine, rows_kept, with_rows
from importer_service.handlers.invitations import request_invitations
from importer_service.handlers.ports import InvitingWork

PAGE_ROWS = 5000
REPORT_STATUSES = (
    RowStatus.INVALID.value,
    RowStatus.DUPLICATE_IN_IMPORT.value,
    RowStatus.SELF.value,
)
REPORT_HEADER = ("row", "phone", "name", "email", "status", "reason")
RESULTS_HEADER = ("row", "phone", "first_name", "last_name", "display_name", "email", "country",
                  "status", "reason_code", "reason", "phone_e164")  # fmt: skip
_PAGE = (
    "SELECT * FROM import_row_results WHERE import_id = $1 AND row_number > $2"
    " AND ($3::text[] IS NULL OR status = ANY($3::text[])) ORDER BY row_number LIMIT $4"
)


async def invite(
    work: InvitingWork, owner_id: uuid.UUID, import_id: uuid.UUID, rows: Sequence[int] | None,
    retention: ImportRetention,
) -> tuple[int, int]:  # fmt: skip
    """ "Invite contact": the ready rows (all, or those chosen) not requested before by this
    owner (see `request_invitations`). Returns (requested now, skipped)."""
    job = rows_kept(mine(await work.imports.get(import_id), owner_id), retention)
    return await request_invitations(work, when_completed(job, "Invitations can be sent"), rows)


async def completed(
    conn: asyncpg.Connection, owner_id: uuid.UUID, import_id: uuid.UUID,
    retention: ImportRetention, what: str,
) -> Import:  # fmt: skip
    """The owner's import once completed, its rows still kept; 409 `import_not_completed`
    before, 410 `import_rows_purged` after its retention."""
    return when_completed(await with_rows(conn, owner_id, import_id, retention), what)


def when_completed(job: Import, what: str) -> Import:
    """`job` once every row has its status; 409 `import_not_completed` before (`what` says
    what waits for it)."""
    if job.status is not ImportStatus.COMPLETED:
        raise Conflicting(
            "import_not_completed",
            f"{what} once every row has its status; the import is {job.status.value}.",
        )
    return job


async def error_report(pool: asyncpg.Pool, import_id: uuid.UUID) -> AsyncIterator[str]:
    """The rejected rows as CSV, with reasons."""
    yield _csv([REPORT_HEADER])
    async for rows in _pages(pool, import_id, REPORT_STATUSES):
        yield _csv(
            (str(r["row_number"]), r["raw_phone"], _name(r) or "", r["email"] or "", r["status"],
             r["reason"] or "")
            for r in rows
        )  # fmt: skip


async def results_csv(pool: asyncpg.Pool, import_id: uuid.UUID) -> AsyncIterator[str]:
    """Every row as CSV: its cells as mapped, its status, reason and E.164 number."""
    yield _csv([RESULTS_HEADER])
    async for rows in _pages(pool, import_id, None):
        cells = [[str(cell or "") for cell in _results_row(r)] for r in rows]
        yield await asyncio.to_thread(_csv, cells)


async def results_xlsx(pool: asyncpg.Pool, import_id: uuid.UUID) -> AsyncIterator[bytes]:
    """Every row as an .xlsx workbook, the same columns as `results_csv`. A page is written
    in a thread (about 40 ms of CPU), so that the event loop serves other requests meanwhile."""
    workbook = XlsxStream(RESULTS_HEADER)
    async for rows in _pages(pool, import_id, None):
        if data := await asyncio.to_thread(workbook.add, [_results_row(r) for r in rows]):
            yield data
    yield workbook.close()


async def _pages(
    pool: asyncpg.Pool, import_id: uuid.UUID, statuses: Sequence[str] | None
) -> AsyncIterator[list[asyncpg.Record]]:
    last = 0
    chosen = list(statuses) if statuses is not None else None
    while True:
        async with pool.acquire() as conn:
            rows: list[asyncpg.Record] = await conn.fetch(_PAGE, import_id, last, chosen, PAGE_ROWS)
        if not rows:
            return
        last = rows[-1]["row_number"]
        yield rows


def _results_row(row: asyncpg.Record) -> tuple[Cell, ...]:
    return (
        row["row_number"], row["raw_phone"], row["first_name"], row["last_name"],
        row["display_name"], row["email"], row["country"], row["status"], row["reason_code"],
        row["reason"], row["phone_e164"],
    )  # fmt: skip


def _csv(rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    write_csv(rows, out)
    return out.getvalue()


def _name(row: asyncpg.Record) -> str | None:
    return row_name(row["display_name"], row["first_name"], row["last_name"])
