"""A chunk's stored rows, as the workers read them: Postgres' CSV `COPY` of the columns a step
needs (`PARSE`: the numbers to check; `EMIT`: what the events carry), read back with polars on
the worker.

Fetched as records, the emit step's rows cost the service 1.7-1.8 µs a row (asyncpg's
decoding, a tuple each, pickling them to a worker) and the worker 1.4 (unpickling, then a
polars column from each Python list); as the bytes of a CSV `COPY`, 0.4 and 0.2; the parse
step's 0.6-0.7 and 0.04 against 0.16-0.26 and 0.16-0.21 (bench/IMPORTER.md, "the steps' rows
as CSV"). Postgres writes NULL as an empty field and an empty text as `""`; polars reads
them back as null and "" (tested with quotes, separators, line breaks, other scripts).
"""

from __future__ import annotations

from uuid import UUID

import asyncpg
import polars as pl

Schema = dict[str, type[pl.DataType]]

PARSE: Schema = {
    "row_number": pl.Int64, "raw_phone": pl.String, "country": pl.String,
    "read_fault_code": pl.String, "read_fault": pl.String,
}  # fmt: skip
"""The parse step's columns, in the order of its CSV."""

EMIT: Schema = {
    "row_number": pl.Int64, "raw_phone": pl.String, "display_name": pl.String,
    "first_name": pl.String, "last_name": pl.String, "email": pl.String,
}  # fmt: skip
"""The emit step's columns, in the order of its CSV."""


async def rows_csv(
    conn: asyncpg.Connection, import_id: UUID, first: int, last: int, schema: Schema
) -> bytes:
    """The import's rows `first`..`last` (`schema`'s columns, in row order) as CSV."""
    parts: list[bytes] = []

    async def keep(data: bytes) -> None:
        parts.append(data)

    query = (
        f"SELECT {', '.join(schema)} FROM import_rows"
        " WHERE import_id = $1 AND row_number BETWEEN $2 AND $3 ORDER BY row_number"
    )
    await conn.copy_from_query(query, import_id, first, last, output=keep, format="csv")
    return b"".join(parts)


def rows_frame(csv: bytes, schema: Schema) -> pl.DataFrame:
    """The rows of `rows_csv` as a frame of `schema`."""
    if not csv:
        return pl.DataFrame(schema=schema)
    return pl.read_csv(csv, has_header=False, schema=schema)
