"""Invitations refused by the invitations service, per import row (see migration 0003)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg
from contacts_events import InvitationRefused


async def record(conn: asyncpg.Connection, refused: InvitationRefused, at: datetime) -> None:
    """Keep why the row's invitation was refused, and forget the request (it may be made
    again). Refusals of requests that no import made (direct API calls) are not ours, nor
    those arriving after their import's rows were purged (nothing would ever delete them)."""
    if refused.import_id is None or refused.row_number is None:
        return
    await conn.execute(
        "INSERT INTO invitation_refusals"
        " (request_id, import_id, row_number, phone_e164, reason_code, reason, refused_at)"
        " SELECT $1::uuid, $2::uuid, $3::int, $4::text, $5::text, $6::text, $7::timestamptz"
        " WHERE NOT EXISTS (SELECT FROM imports WHERE import_id = $2 AND rows_purged_at IS NOT NULL)"
        " ON CONFLICT (import_id, row_number) DO UPDATE"
        " SET request_id = excluded.request_id, phone_e164 = excluded.phone_e164,"
        " reason_code = excluded.reason_code, reason = excluded.reason,"
        " refused_at = excluded.refused_at WHERE excluded.refused_at >= invitation_refusals.refused_at",
        refused.request_id, refused.import_id, refused.row_number, refused.phone_e164,
        refused.reason_code, refused.reason, at,
    )  # fmt: skip
    await conn.execute("DELETE FROM invitation_requests WHERE request_id = $1", refused.request_id)


async def page(
    conn: asyncpg.Connection, import_id: UUID, after: int, limit: int
) -> tuple[list[asyncpg.Record], int]:
    """Refusals of the import's rows after row `after`, in row order, and how many in all."""
    rows = await conn.fetch(
        "SELECT row_number, phone_e164, reason_code, reason, refused_at FROM invitation_refusals"
        " WHERE import_id = $1 AND row_number > $2 ORDER BY row_number LIMIT $3",
        import_id, after, limit,
    )  # fmt: skip
    total = await conn.fetchval(
        "SELECT count(*) FROM invitation_refusals WHERE import_id = $1", import_id
    )
    return list(rows), int(total)


async def forget(conn: asyncpg.Connection, import_id: UUID, rows: list[int]) -> None:
    """The rows are being invited again: their old refusals no longer say anything."""
    await conn.execute(
        "DELETE FROM invitation_refusals WHERE import_id = $1 AND row_number = ANY($2::int[])",
        import_id, rows,
    )  # fmt: skip
