"""/v1/imports/{id}/rows and invitations: the rows (for review, then with their statuses),
"Invite contact", and the invitations the invitations service refused. Another user's import
is 404."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import asyncpg
from contacts_events import RowStatus
from contacts_messaging.api import OutboxDep
from contacts_servicekit.web.idempotency import IdempotencyKey
from contacts_servicekit.web.requests import CallerDep, connection
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from importer_service.adapters.invitation_requests import PostgresInvitingWork
from importer_service.entrypoints.answers import answered_once
from importer_service.entrypoints.app_state import rules_of
from importer_service.entrypoints.cursors import CursorQuery, after_row, row_cursor
from importer_service.entrypoints.documented import ROWS_PURGED, problems
from importer_service.entrypoints.schemas import InviteRows
from importer_service.entrypoints.views import (
    InvitationsView,
    RefusalPage,
    RefusalView,
    RowPage,
    RowView,
)
from importer_service.handlers import results, row_pages

router = APIRouter(prefix="/v1/imports", tags=["imports"])
Limit = Annotated[int, Query(ge=1, le=1000)]


@router.get("/{import_id}/rows", response_model=RowPage, responses=problems(404, ROWS_PURGED))
async def list_rows(
    import_id: UUID, request: Request, caller: CallerDep, cursor: CursorQuery = None,
    limit: Limit = 100, status: RowStatus | None = None,
) -> RowPage:  # fmt: skip
    """The rows in order, `limit` at a time (`cursor`: the previous page's `next_cursor`):
    for review before importing, with their statuses after (`status`: only those)."""
    after = after_row(cursor)
    async with connection(request) as conn:
        found, more = await row_pages.rows(
            conn, caller.user_id, import_id, rules_of(request).retention, after, limit, status
        )
    items = [RowView(**{k: r[k] for k in RowView.model_fields}) for r in found]
    return RowPage(items=items, next_cursor=row_cursor(items[-1].row_number) if more else None)


@router.post(
    "/{import_id}/invitations", response_model=InvitationsView,
    responses=problems(
        404, (409, "Not every row has its status yet (`import_not_completed`)"), ROWS_PURGED
    ),
)  # fmt: skip
async def invite_rows(
    import_id: UUID, body: InviteRows, request: Request, caller: CallerDep, outbox: OutboxDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:  # fmt: skip
    """ "Invite contact": SMS invitations for every ready row, or the rows chosen, once per
    number (asking again skips those requested before). With an `Idempotency-Key`, a retry
    gets the first answer."""

    async def invite(conn: asyncpg.Connection) -> InvitationsView:
        work = PostgresInvitingWork(conn)
        requested, skipped = await results.invite(
            work, caller.user_id, import_id, body.rows, rules_of(request).retention
        )
        await work.write_events(outbox, caller.event_context())
        return InvitationsView(requested=requested, skipped=skipped)

    return await answered_once(request, caller, idempotency_key, body.model_dump(), 200, invite)


@router.get(
    "/{import_id}/invitations/refusals", response_model=RefusalPage,
    responses=problems(404, ROWS_PURGED),
)  # fmt: skip
async def list_invitation_refusals(
    import_id: UUID, request: Request, caller: CallerDep, cursor: CursorQuery = None,
    limit: Limit = 100,
) -> RefusalPage:  # fmt: skip
    """The rows whose invitation the invitations service refused, and why (a number outside
    the company's countries, a daily cap, a premium-rate number...). A refused row can be
    invited again once that has changed."""
    after = after_row(cursor)
    async with connection(request) as conn:
        found, total, more = await row_pages.refused(
            conn, caller.user_id, import_id, rules_of(request).retention, after, limit
        )
    items = [RefusalView(**dict(r)) for r in found]
    return RefusalPage(
        items=items, total=total, next_cursor=row_cursor(items[-1].row_number) if more else None
    )
