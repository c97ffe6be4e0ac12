"""Reading an import's rows, and the invitations of its rows that were refused, a page at a
time: the owner's import only (404 for anyone else's), while its rows are kept (410 after)."""

from __future__ import annotations

import uuid

import asyncpg

from importer_service.adapters import import_rows_repository as import_rows
from importer_service.adapters import refusals
from importer_service.domain.retention import ImportRetention
from importer_service.handlers.imports import with_rows


async def rows(
    conn: asyncpg.Connection, owner_id: uuid.UUID, import_id: uuid.UUID,
    retention: ImportRetention, after: int, limit: int, status: str | None,
) -> tuple[list[asyncpg.Record], bool]:  # fmt: skip
    """Up to `limit` rows after row `after` (of `status` only, if given); whether more follow."""
    await with_rows(conn, owner_id, import_id, retention)
    found = await import_rows.page_of_rows(conn, import_id, after, limit + 1, status)
    return found[:limit], len(found) > limit


async def refused(
    conn: asyncpg.Connection, owner_id: uuid.UUID, import_id: uuid.UUID,
    retention: ImportRetention, after: int, limit: int,
) -> tuple[list[asyncpg.Record], int, bool]:  # fmt: skip
    """Up to `limit` refused rows after row `after`, how many there are in all, and whether
    more follow."""
    await with_rows(conn, owner_id, import_id, retention)
    found, total = await refusals.page(conn, import_id, after, limit + 1)
    return found[:limit], total, len(found) > limit
