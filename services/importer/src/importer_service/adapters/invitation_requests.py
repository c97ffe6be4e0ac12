"""The owner's invitation requests of an import's rows, on Postgres, and the small unit of work
"Invite contact" runs in (the route's transaction, or the completing pipeline step's)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import asyncpg
from contacts_events import RowStatus
from contacts_messaging.unit_of_work import UnitOfWork

from importer_service.adapters import refusals
from importer_service.adapters.postgres_imports import PostgresImports
from importer_service.domain.model import row_name
from importer_service.handlers.ports import Imports, InvitationRequests, ReadyRow

# Each row looked up by its key, always (lateral sub-queries with LIMIT 1, which the planner
# keeps as they are): as plain joins, an import newer than the tables' statistics is estimated
# at one row, and the plan may scan the whole import once per row (import_row_results too).
_NAMES = (
    "CROSS JOIN LATERAL (SELECT r.display_name, r.first_name, r.last_name FROM import_rows r"
    " WHERE r.import_id = $1 AND r.row_number = s.row_number LIMIT 1) r"
)
_READY_COLUMNS = "s.row_number, s.phone_e164, r.display_name, r.first_name, r.last_name"
_READY = (
    f"SELECT {_READY_COLUMNS} FROM import_row_statuses s {_NAMES}"
    " WHERE s.import_id = $1 AND s.status = $2 ORDER BY s.row_number"
)
# the rows chosen drive the look-up, one key probe each: as a filter (`= ANY`) on the ready
# rows it was compared with every one of them (a 200,000-row import's 20,000 chosen rows
# took minutes)
_READY_AMONG = (
    f"SELECT {_READY_COLUMNS} FROM (SELECT DISTINCT unnest($3::int[]) AS row_number) chosen"
    " CROSS JOIN LATERAL (SELECT s.row_number, s.phone_e164 FROM import_row_statuses s"
    " WHERE s.import_id = $1 AND s.row_number = chosen.row_number AND s.status = $2 LIMIT 1) s"
    f" {_NAMES} ORDER BY s.row_number"
)
_REQUEST = (
    "INSERT INTO invitation_requests (request_id, inviter_id, phone_e164, import_id, row_number)"
    " SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::int[])"
    " ON CONFLICT (inviter_id, phone_e164) DO NOTHING RETURNING request_id"
)


class PostgresInvitationRequests:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def ready(self, import_id: UUID, rows: Sequence[int] | None) -> list[ReadyRow]:
        ready = RowStatus.READY_TO_INVITE.value
        if rows is None:
            found = await self.conn.fetch(_READY, import_id, ready)
        else:
            found = await self.conn.fetch(_READY_AMONG, import_id, ready, list(rows))
        return [
            ReadyRow(r["row_number"], r["phone_e164"],
                     row_name(r["display_name"], r["first_name"], r["last_name"]))
            for r in found
        ]  # fmt: skip

    async def record(
        self, inviter_id: UUID, import_id: UUID, asked: Sequence[tuple[UUID, ReadyRow]]
    ) -> set[UUID]:
        inserted = await self.conn.fetch(
            _REQUEST, [q for q, _ in asked], [inviter_id] * len(asked),
            [r.phone_e164 for _, r in asked], [import_id] * len(asked),
            [r.row_number for _, r in asked],
        )  # fmt: skip
        return {r["request_id"] for r in inserted}

    async def forget_refusals(self, import_id: UUID, row_numbers: Sequence[int]) -> None:
        await refusals.forget(self.conn, import_id, list(row_numbers))


class PostgresInvitingWork(UnitOfWork):
    def __init__(self, conn: asyncpg.Connection) -> None:
        super().__init__(conn)
        self.imports: Imports = PostgresImports(conn)
        self.invitations: InvitationRequests = PostgresInvitationRequests(conn)
