"""An import keeps the chunk size of its start (chunk_window.row_chunks, `Import.chunk_rows`),
on the importer's real schema: a later step run with other settings, or an import started by
a release that did not record it, cuts the same chunks as its start did."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from importer_service.adapters import import_rows_repository as import_rows
from importer_service.adapters import imports_repository as imports
from importer_service.adapters.work_queue import Chunking
from importer_service.domain.model import Import, ImportStatus, NewImport
from importer_service.handlers.chunk_window import row_chunks

from .conftest import ImporterUnderTest

pytestmark = pytest.mark.integration
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ROWS = 24_000
AT_START = Chunking(rows=20_000, partitions=8)  # 1,500 rows for two a partition: 10,000 at least
LATER = Chunking(rows=2_000, partitions=24)  # what another instance's settings say


async def an_extracted_import(importer: ImporterUnderTest) -> Import:
    new = NewImport(uuid.uuid4(), uuid.uuid4(), "pasted", ImportStatus.EXTRACTED, "FR", ROWS)
    rows = [(n, f"+3361234{n:04d}", None, None, None, None, None, None, None)
            for n in range(2, ROWS + 2)]  # fmt: skip
    async with importer.pool.acquire() as conn:
        await imports.create(conn, new)
        await import_rows.insert_rows(conn, new.import_id, rows)
        job = await imports.get(conn, new.import_id)
    assert job is not None
    return job


async def test_the_chunks_of_a_start_are_kept_whatever_the_later_settings(
    importer: ImporterUnderTest,
) -> None:
    job = await an_extracted_import(importer)
    async with importer.pool.acquire() as conn:
        size, at_start = await row_chunks(conn, job, AT_START)
        await imports.save(conn, job.started(len(at_start), NOW, size))
        started = await imports.get(conn, job.import_id)
        assert started is not None
        later = await row_chunks(conn, started, LATER)

    assert size == 10_000
    assert at_start == [(2, 10_001), (10_002, 20_001), (20_002, 24_001)]
    assert later == (10_000, at_start)
    assert started.chunk_rows == 10_000


async def test_an_import_started_by_an_earlier_release_keeps_its_rule(
    importer: ImporterUnderTest,
) -> None:
    job = await an_extracted_import(importer)
    async with importer.pool.acquire() as conn:
        await imports.save(conn, job.started(12, NOW))  # an earlier release's: no chunk_rows
        started = await imports.get(conn, job.import_id)
        assert started is not None
        size, chunks = await row_chunks(conn, started, AT_START)

    assert started.chunk_rows is None
    assert (size, len(chunks)) == (1_500, 16)  # 1,500 for two a partition, 1,000 at least then
