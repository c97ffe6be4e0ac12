"""A chunk's stored rows through Postgres' CSV `COPY` and polars (adapters/row_frames.py) read
back exactly as asyncpg reads them: NULL and empty text apart, quotes, separators, line breaks,
back-slashes, other scripts, long cells; in row order, only the rows asked for."""

from __future__ import annotations

import random
import uuid

import pytest
from importer_service.adapters.row_frames import EMIT, PARSE, rows_csv, rows_frame

from .conftest import ImporterUnderTest

pytestmark = pytest.mark.integration

AWKWARD = [
    "", " ", "a,b", 'q"uote', '"', '""', "line\nbreak", "cr\rx", "crlf\r\nx", "tab\tx",
    "back\\slash", "\\N", "NULL", "null", "-", "é ü 国 🙂", "  lead", "trail  ", "0012", "1e5",
    "#comment", "'single", ",", "\n", "x" * 1000, "\u200b", "\x01ctrl", None,
]  # fmt: skip


async def test_rows_come_back_as_stored(importer: ImporterUnderTest) -> None:
    import_id, pick = uuid.uuid4(), random.Random(7).choice
    rows = [(import_id, n, pick(AWKWARD[:-1]), *(pick(AWKWARD) for _ in range(4)))
            for n in range(1, 2001)]  # fmt: skip
    rows += [(import_id, 2001 + n, "06", value, value, value, value) for n, value in
             enumerate(AWKWARD)]  # fmt: skip
    columns = list(EMIT)
    async with importer.pool.acquire() as conn:
        await conn.copy_records_to_table("import_rows", records=rows,
                                         columns=["import_id", *columns])  # fmt: skip
        csv = await rows_csv(conn, import_id, 3, 2028, EMIT)
        faults = await rows_csv(conn, import_id, 1, 1, PARSE)
        expected = await conn.fetch(
            f"SELECT {', '.join(columns)} FROM import_rows WHERE import_id = $1"
            " AND row_number BETWEEN 3 AND 2028 ORDER BY row_number",
            import_id,
        )
        assert await rows_csv(conn, import_id, 3000, 4000, EMIT) == b""
        await conn.execute("DELETE FROM import_rows WHERE import_id = $1", import_id)
    frame = rows_frame(csv, EMIT)
    assert frame.schema == EMIT
    assert frame.rows() == [tuple(row) for row in expected] and len(expected) == 2026
    assert rows_frame(b"", EMIT).schema == EMIT and rows_frame(b"", EMIT).is_empty()
    assert rows_frame(faults, PARSE).rows() == [(1, rows[0][2], None, None, None)]
