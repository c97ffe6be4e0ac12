"""The importer summarises newly stored statuses in the erasure's bloom index every
`IMPORT_SUMMARY_SECONDS`, and skips a round while someone else holds the summary lock."""

from __future__ import annotations

import asyncio
import json
import uuid

import asyncpg
import pytest
from importer_service.adapters.status_summaries import summarise_new_rows

from .conftest import ImporterUnderTest, running_importer

pytestmark = pytest.mark.integration

FILL = """
    INSERT INTO import_row_statuses (import_id, row_number, phone_e164, status)
    SELECT $1, g, '+4479' || lpad(g::text, 8, '0'), 'ready_to_invite'
    FROM generate_series(1, $2::int) AS g
"""


@pytest.fixture
async def importer(postgres_admin_url, kafka_bootstrap, tmp_path):
    async with running_importer(
        postgres_admin_url, kafka_bootstrap, tmp_path, IMPORT_SUMMARY_SECONDS="0.2"
    ) as it:
        yield it


async def test_statuses_stored_are_summarised_within_the_interval(importer: ImporterUnderTest):
    # only the service summarises here (a vacuum would too)
    await importer.pool.execute("ALTER TABLE import_row_statuses SET (autovacuum_enabled = off)")
    async with importer.pool.acquire() as conn, conn.transaction():
        # the service waits (skips its rounds) until these rows are all written
        await conn.execute("LOCK TABLE import_row_statuses IN SHARE UPDATE EXCLUSIVE MODE")
        await conn.execute(FILL, uuid.uuid4(), 20_000)  # several full ranges of 32 pages
        assert await _pages_read_for_an_absent_number(conn) > 100  # all of them, at first
    for _ in range(300):  # 0.2 s is the interval: 30 s for a busy machine
        await asyncio.sleep(0.1)
        async with importer.pool.acquire() as conn, conn.transaction():
            pages = await _pages_read_for_an_absent_number(conn)
        if pages <= 32:  # the last, partial range
            return
    raise AssertionError("the newly stored statuses were never summarised")


async def _pages_read_for_an_absent_number(conn: asyncpg.Connection) -> int:
    """The heap pages an erasure's look-up of a number no row has reads (the index told to be
    used whatever the table's size): the ranges not summarised yet, whole."""
    await conn.execute("SET LOCAL enable_seqscan = off")
    plan = await conn.fetchval(
        "EXPLAIN (ANALYZE, FORMAT JSON)"
        " SELECT 1 FROM import_row_statuses WHERE phone_e164 = '+15550000000'"
    )
    heap = json.loads(plan)[0]["Plan"]
    assert heap["Node Type"] == "Bitmap Heap Scan", heap
    return int(heap.get("Exact Heap Blocks", 0) + heap.get("Lossy Heap Blocks", 0))


async def test_a_round_is_skipped_while_another_summariser_holds_the_lock(
    importer: ImporterUnderTest,
):
    async with importer.pool.acquire() as holder, holder.transaction():
        # the lock a summary (another instance's) or a vacuum of the table holds while it runs
        await holder.execute("LOCK TABLE import_row_statuses IN SHARE UPDATE EXCLUSIVE MODE")
        assert await summarise_new_rows(importer.pool) is None
    assert await summarise_new_rows(importer.pool) == 0
