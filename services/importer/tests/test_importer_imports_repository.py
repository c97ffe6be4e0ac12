"""The import repository on the importer's real schema: an import is created in its first
status, and `save` writes what its changes touched and nothing else, so that a step holding a
copy read before other steps counted their chunks never writes their counters back."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from importer_service.adapters import imports_repository as imports
from importer_service.domain.model import ImportStatus, NewImport

from .conftest import ImporterUnderTest

pytestmark = pytest.mark.integration
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def test_an_import_is_created_as_its_new_import_says(importer: ImporterUnderTest) -> None:
    new = NewImport(
        uuid.uuid4(), uuid.uuid4(), "file", ImportStatus.UPLOADED, "FR", filename="a.csv",
        file_format="csv", sheets=[{"name": "S", "has_phone_column": True}], headers=["Phone"],
        mapping={"phone": 0}, auto_start=True,
    )  # fmt: skip
    async with importer.pool.acquire() as conn:
        await imports.create(conn, new)
        job = await imports.get(conn, new.import_id)

    assert job is not None and job.unsaved == frozenset()
    assert (job.status, job.default_region, job.sheets, job.mapping, job.auto_start) == (
        ImportStatus.UPLOADED, "FR", new.sheets, {"phone": 0}, True,
    )  # fmt: skip
    assert job.finished_at is None and job.created_at is not None


async def test_save_writes_the_changed_columns_and_leaves_the_counters_others_added_to(
    importer: ImporterUnderTest,
) -> None:
    new = NewImport(uuid.uuid4(), uuid.uuid4(), "pasted", ImportStatus.EXTRACTED, "FR", 20)
    async with importer.pool.acquire() as conn, conn.transaction():
        await imports.create(conn, new)
        read = await imports.get(conn, new.import_id)
        assert read is not None
        started = await imports.save(conn, read.started(2, NOW))
        for _ in range(2):  # the parse steps count their chunks on the row meanwhile
            await imports.count_chunk_done(conn, new.import_id, "parsed", 10, {})
        await imports.save(conn, started.completed({"invalid": 20}, NOW))
        job = await imports.get(conn, new.import_id)

    assert job is not None
    assert (job.status, job.counts, job.completed_at, job.started_at) == (
        ImportStatus.COMPLETED, {"invalid": 20}, NOW, NOW,
    )  # fmt: skip
    assert (job.chunk_count, job.parsed_chunks, job.rows_parsed) == (2, 2, 20)
    assert job.finished_at is not None  # the trigger of migration 0008 saw the status change


async def test_an_import_saved_with_nothing_changed_is_not_written(
    importer: ImporterUnderTest,
) -> None:
    new = NewImport(uuid.uuid4(), uuid.uuid4(), "pasted", ImportStatus.EXTRACTED, "FR", 3)
    async with importer.pool.acquire() as conn:
        await imports.create(conn, new)
        read = await imports.get(conn, new.import_id)
        assert read is not None
        await conn.execute(
            "UPDATE imports SET default_region = 'GB' WHERE import_id = $1", new.import_id
        )
        assert await imports.save(conn, read) is read
        job = await imports.get(conn, new.import_id)
    assert job is not None and job.default_region == "GB"
