"""A chunk's stored rows, as the emit step's workers read them: Postgres' CSV `COPY` of the
columns the events need, read back with polars on the worker.

Fetched as records, the rows cost the service 1.7-1.8 µs a row (asyncpg's decoding, a tuple
each, pickling them to a worker) and the worker 1.4 (unpickling, then a polars column from each
Python list); as the bytes of a CSV `COPY`, 0.4 and 0.2 (bench/IMPORTER.md, "the emit step's
rows as CSV"). Postgres writes NULL as an empty field and an empty text as `""`; polars reads
them back as null and "" (tested with quotes, separators, line breaks, other scripts).
"""

from __future__ import annotations

from uuid import UUID

import asyncpg
import polars as pl

SCHEMA = {
    "row_number": pl.Int64, "raw_phone": pl.String, "display_name": pl.String,
    "first_name": pl.String, "last_name": pl.String, "email": pl.String,
}  # fmt: skip
"""The columns, in the order of the CSV."""

_ROWS = (
    f"SELECT {', '.join(SCHEMA)} FROM import_rows"
    " WHERE import_id = $1 AND row_number BETWEEN $2 AND $3 ORDER BY row_number"
)


async def rows_csv(conn: asyncpg.Connection, import_id: UUID, first: int, last: int) -> bytes:
    """The import's rows `first`..`last` (`SCHEMA`'s columns, in row order) as CSV."""
    parts: list[bytes] = []

    async def keep(data: bytes) -> None:
        parts.append(data)

    await conn.copy_from_query(_ROWS, import_id, first, last, output=keep, format="csv")
    return b"".join(parts)


def rows_frame(csv: bytes) -> pl.DataFrame:
    """The rows of `rows_csv` as a frame of `SCHEMA`."""
    if not csv:
        return pl.DataFrame(schema=SCHEMA)
    return pl.read_csv(csv, has_header=False, schema=SCHEMA)
