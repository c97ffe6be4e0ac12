"""Erasing a closed account's phone number from the importer's tables, in the transaction that
applies its `UserDeactivated` to the projection (docs/data-retention.md, "Personal data when an
account closes").

The projection knows the number (the same consumer group applied the user's earlier events, in
order). Every copy of it goes: the import rows that carried it keep their row number, status
and name (the owners' counts and results still add up) with the number replaced by the
redaction marker and no email; the uploaded files of finished imports that held it, the
duplicate markers, the invitation requests and refusals for it, and the sent `importer.imports`
events of those imports (keyed by import id) are deleted.
"""

from __future__ import annotations

from uuid import UUID

import asyncpg
from contacts_messaging.erasure import ERASED, forget_events, forget_responses

FINISHED = ["completed", "failed", "replaced"]  # the uploaded file is no longer read


async def erase_number_of(conn: asyncpg.Connection, user_id: UUID) -> None:
    """Leave no copy of the closed user's number in the importer's schema."""
    phone = await conn.fetchval(
        "SELECT phone_e164 FROM registered_users WHERE user_id = $1 FOR UPDATE", user_id
    )
    if phone is None or phone == ERASED:
        return  # never known here (a compacted history), or erased already
    await conn.execute(
        "UPDATE registered_users SET active = false, phone_e164 = $2 WHERE user_id = $1",
        user_id, ERASED,
    )  # fmt: skip
    imports = await _erase_rows(conn, phone)
    await conn.execute(
        "DELETE FROM import_files f USING imports i WHERE f.import_id = i.import_id"
        " AND i.import_id = ANY($1::uuid[]) AND i.status = ANY($2::text[])",
        imports, FINISHED,
    )  # fmt: skip
    for table in ("import_duplicates", "invitation_requests"):
        await conn.execute(f"DELETE FROM {table} WHERE phone_e164 = $1", phone)
    await conn.execute(
        "UPDATE invitation_refusals SET phone_e164 = $2 WHERE phone_e164 = $1", phone, ERASED
    )
    await forget_events(conn, [str(i) for i in imports])
    await forget_responses(conn, [phone])


_ERASE_ROWS = """
WITH erased AS (
    UPDATE import_row_statuses SET phone_e164 = $2 WHERE phone_e164 = $1
    RETURNING import_id, row_number)
UPDATE import_rows r SET raw_phone = $2, email = NULL FROM erased e
WHERE r.import_id = e.import_id AND r.row_number = e.row_number RETURNING r.import_id
"""


async def _erase_rows(conn: asyncpg.Connection, phone: str) -> list[UUID]:
    """Redact the import rows with the number; the imports they belong to."""
    rows = await conn.fetch(_ERASE_ROWS, phone, ERASED)
    return sorted({row["import_id"] for row in rows})
