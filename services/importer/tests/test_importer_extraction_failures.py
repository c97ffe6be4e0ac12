"""The extraction use case on the importer's real schema: a fault of the file found only while
its rows are read (its worker stopped by a limit, a sheet gone, text Postgres refuses) ends
the import `failed` with the reason and keeps none of its rows; a bug still raises, so the
work item is retried and dead-lettered as before. And what the chunk workers are told as the
rows are read."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from importer_service.adapters.file_reader import FileReader
from importer_service.adapters.sources.limits import SourceLimits
from importer_service.adapters.sources.mapping import ColumnMapping
from importer_service.adapters.sources.sniff import FileFormat
from importer_service.adapters.sources.stored_rows import StoredRow
from importer_service.adapters.worker_process import WorkerLimits
from importer_service.handlers.extraction import BYTES_PER_ROW_AT_LEAST, extract_rows

from .conftest import ImporterUnderTest, bearer
from .files import csv_bytes
from .hostile_files import repeated_ods

pytestmark = pytest.mark.integration

PHONES = itertools.count(10)
ROW: StoredRow = (2, "+447400100001", "Ann", None, None, None, None, None, None)


class StubReader(FileReader):
    """Yields one good batch, then `last`: a batch, or an error to raise."""

    def __init__(self, last: list[StoredRow] | Exception) -> None:
        super().__init__(SourceLimits(), WorkerLimits(64, 1), 1)
        self.last = last

    async def rows(
        self, path: Path, fmt: FileFormat, sheet: str | None, mapping: ColumnMapping,
        encoding: str | None = None,
    ) -> AsyncIterator[list[StoredRow]]:  # fmt: skip
        yield [ROW]
        if isinstance(self.last, Exception):
            raise self.last
        yield self.last


async def ready_to_extract(importer: ImporterUnderTest, name: str, content: bytes) -> uuid.UUID:
    """A file uploaded through the API, then marked for extraction (nothing is queued: the
    test runs the extraction itself)."""
    owner = await importer.register(f"+336123905{next(PHONES):02d}")
    answer = await importer.http.post(
        "/v1/imports/files", files={"file": (name, content)}, headers=bearer(owner.user_id)
    )
    assert answer.status_code == 201, answer.text
    import_id = uuid.UUID(answer.json()["import_id"])
    await importer.pool.execute(
        "UPDATE imports SET status = 'extracting' WHERE import_id = $1", import_id
    )
    return import_id


async def extracted(importer: ImporterUnderTest, import_id: uuid.UUID, reader: FileReader) -> dict:
    async with importer.pool.acquire() as conn, conn.transaction():
        await extract_rows(conn, import_id, reader)
    job = await importer.pool.fetchrow(
        "SELECT status, error::text, (SELECT count(*) FROM import_rows r WHERE r.import_id ="
        " i.import_id) AS rows FROM imports i WHERE import_id = $1",
        import_id,
    )
    return dict(job)


async def test_a_worker_stopped_by_its_memory_limit_fails_the_import(importer) -> None:
    import_id = await ready_to_extract(importer, "big.ods", repeated_ods(2_000, 1_000))
    reader = FileReader(SourceLimits(), WorkerLimits(128, 60), 1)  # less than it needs
    job = await extracted(importer, import_id, reader)
    assert (job["status"], job["rows"]) == ("failed", 0)
    assert '"error": "file_too_complex"' in job["error"] and "128 MB" in job["error"]


async def test_a_sheet_gone_when_the_rows_are_read_fails_the_import(importer) -> None:
    import_id = await ready_to_extract(importer, "list.ods", repeated_ods(3, 2))
    await importer.pool.execute("UPDATE imports SET sheet = 'Gone' WHERE import_id = $1", import_id)
    job = await extracted(
        importer, import_id, FileReader(SourceLimits(), WorkerLimits(2048, 60), 1)
    )
    assert (job["status"], job["rows"]) == ("failed", 0)
    assert '"error": "sheet_not_found"' in job["error"] and '\\"Contacts\\"' in job["error"]


async def test_text_postgres_refuses_fails_the_import_and_keeps_no_row(importer) -> None:
    import_id = await ready_to_extract(importer, "l.csv", csv_bytes([["Mobile"], ["0612"]]))
    # in the email column: names are cleaned of control characters when stored, emails are not
    nul: StoredRow = (3, "+447400100002", "B", None, None, "b\x00@example.com", None, None, None)
    job = await extracted(importer, import_id, StubReader([nul]))
    assert (job["status"], job["rows"]) == ("failed", 0)  # the first batch is rolled back too
    assert '"error": "unstorable_text"' in job["error"]


async def test_a_bug_still_raises_so_that_the_work_item_is_dead_lettered(importer) -> None:
    import_id = await ready_to_extract(importer, "l2.csv", csv_bytes([["Mobile"], ["0612"]]))
    with pytest.raises(RuntimeError, match="a bug"):
        await extracted(importer, import_id, StubReader(RuntimeError("a bug")))
    status = "SELECT status FROM imports WHERE import_id = $1"
    assert await importer.pool.fetchval(status, import_id) == "extracting"


async def test_the_rows_a_file_may_hold_are_told_before_its_first_row_then_the_count(
    importer,
) -> None:
    content = csv_bytes([["Mobile"], *[[f"06123456{n:02d}"] for n in range(60)]])
    import_id = await ready_to_extract(importer, "l3.csv", content)
    told: list[int] = []
    second: StoredRow = (3, "+447400100003", "Bo", None, None, None, None, None, None)
    async with importer.pool.acquire() as conn, conn.transaction():
        await extract_rows(conn, import_id, StubReader([second]), told.append)
    # the file's size first (the workers start while the rows are read), then the rows so far
    assert told == [len(content) // BYTES_PER_ROW_AT_LEAST, 1, 2]
