"""An import's rows in Postgres: as read from the file (`import_rows`, written once at
extraction) and their final statuses (`import_row_statuses`, written once by the emit step);
the caller holds the connection and transaction. The imports themselves: imports_repository."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import asyncpg

from importer_service.adapters.status_copy import COLUMNS, copy_body
from importer_service.domain.model import stored_name

ROW_FIELDS = (
    "row_number",
    "raw_phone",
    "display_name",
    "first_name",
    "last_name",
    "email",
    "country",
    "read_fault_code",  # set when reading the row found a fault (a cell too long), else None
    "read_fault",
)


async def insert_rows(
    conn: asyncpg.Connection, import_id: UUID, rows: Sequence[tuple[Any, ...]]
) -> None:
    """COPY rows (ROW_FIELDS order) of one import, their names cleaned (`stored_name`)."""
    await conn.copy_records_to_table(
        "import_rows",
        records=[(import_id, *_with_stored_names(r)) for r in rows],
        columns=("import_id", *ROW_FIELDS),
    )


def _with_stored_names(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """`row` (ROW_FIELDS order) with its three names cleaned; unpacked rather than looped over,
    since a list of a million rows goes through here (under a microsecond a row)."""
    number, phone, display_name, first_name, last_name, *others = row
    names = (stored_name(display_name), stored_name(first_name), stored_name(last_name))
    return (number, phone, *names, *others)


# A page of one status walks that status's rows in the statuses' index (import, status, row)
# and reads each one's file row by its key: through `import_row_results`, whose rows are the
# file's, a status that 2 rows of a million have was found by reading all million.
_PAGE_OF_STATUS = """
SELECT r.import_id, r.row_number, r.raw_phone, r.display_name, r.first_name, r.last_name,
       r.email, r.country, s.phone_e164, s.status,
       coalesce(s.reason_code, r.read_fault_code) AS reason_code,
       coalesce(s.reason, r.read_fault) AS reason, s.matched_user_id
FROM (SELECT * FROM import_row_statuses
      WHERE import_id = $1 AND status = $4 AND row_number > $2
      ORDER BY row_number LIMIT $3) AS s
CROSS JOIN LATERAL (
    SELECT * FROM import_rows r WHERE r.import_id = s.import_id AND r.row_number = s.row_number
) AS r
ORDER BY s.row_number
"""


async def page_of_rows(
    conn: asyncpg.Connection, import_id: UUID, after_row: int, limit: int, status: str | None
) -> list[asyncpg.Record]:
    """Up to `limit` rows after row `after_row`, of `status` only if given, in row order."""
    if status is not None:
        return list(await conn.fetch(_PAGE_OF_STATUS, import_id, after_row, limit, status))
    rows: list[asyncpg.Record] = await conn.fetch(
        "SELECT * FROM import_row_results WHERE import_id = $1 AND row_number > $2"
        " ORDER BY row_number LIMIT $3",
        import_id,
        after_row,
        limit,
    )
    return rows


async def store_statuses(conn: asyncpg.Connection, parts: Sequence[bytes]) -> None:
    """Rows' final statuses, written once with one binary COPY of `parts` (status_copy's
    tuples; a row has one status: a second one for the same row is refused by the table's
    key)."""
    body = memoryview(copy_body(parts))  # as a buffer: asyncpg takes bytes for a file's path
    await conn.copy_to_table("import_row_statuses", source=body, columns=COLUMNS, format="binary")


async def status_counts(conn: asyncpg.Connection, import_id: UUID) -> dict[str, int]:
    rows = await conn.fetch(
        "SELECT status, count(*) AS n FROM import_row_statuses WHERE import_id = $1 GROUP BY status",
        import_id,
    )
    return {r["status"]: r["n"] for r in rows}
