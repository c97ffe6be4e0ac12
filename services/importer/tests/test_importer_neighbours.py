"""No noisy neighbours: a small import is not queued behind a large one's chunks, and two large
imports of different owners progress side by side (work_queue's express lane, chunk_window).

Each test watches the imports' own counters in one snapshot per poll, so it asserts on the
order of the work (how far one import is when another completes), never on wall time."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import asyncpg
import pytest

from .conftest import ImporterUnderTest, bearer, running_importer

pytestmark = pytest.mark.integration

LARGE = 800  # rows: 80 chunks of 10 per pass, 160 work items
EXPRESS_ROWS = 10


@pytest.fixture(scope="module")
async def importer(
    postgres_admin_url, kafka_bootstrap, tmp_path_factory
) -> AsyncIterator[ImporterUnderTest]:
    """Small chunks, so that a large import is many work items; one checking process, so that
    every step runs in the service (as on a one-core instance)."""
    async with running_importer(
        postgres_admin_url, kafka_bootstrap, tmp_path_factory.mktemp("importer"),
        IMPORT_CHUNK_ROWS="10", IMPORT_EXPRESS_ROWS=str(EXPRESS_ROWS),
        IMPORT_PARSE_PROCESSES="1",
    ) as service:  # fmt: skip
        yield service


def _numbers(count: int, prefix: int) -> str:
    """`count` distinct French mobile numbers, one per line."""
    return "\n".join(f"06{prefix:02d}{n:06d}" for n in range(count))


async def _paste(importer: ImporterUnderTest, owner: uuid.UUID, text: str) -> uuid.UUID:
    created = await importer.http.post(
        "/v1/imports/pasted", json={"text": text}, headers=bearer(owner)
    )
    assert created.status_code == 201, created.text
    return uuid.UUID(created.json()["import_id"])


async def _snapshot(pool: asyncpg.Pool, ids: list[uuid.UUID]) -> dict[uuid.UUID, asyncpg.Record]:
    """Every import's status and counters, read in one statement (one instant)."""
    rows = await pool.fetch(
        "SELECT import_id, status, total_rows, rows_parsed, rows_done, counts FROM imports"
        " WHERE import_id = ANY($1::uuid[])",
        ids,
    )
    return {row["import_id"]: row for row in rows}


async def _until_one_completes(
    pool: asyncpg.Pool, ids: list[uuid.UUID], polls: int = 6000
) -> tuple[uuid.UUID, dict[uuid.UUID, asyncpg.Record]]:
    """The first of `ids` to complete, and the snapshot in which it was seen completed."""
    for _ in range(polls):
        seen = await _snapshot(pool, ids)
        done = [i for i in ids if seen[i]["status"] == "completed"]
        if done:
            return done[0], seen
        assert all(seen[i]["status"] != "failed" for i in ids), seen
        await asyncio.sleep(0.02)
    raise AssertionError(f"none of {ids} completed")


async def _upload_and_start(importer: ImporterUnderTest, owner: uuid.UUID, csv: str) -> uuid.UUID:
    """The one-call import of a CSV list: columns and start with the upload."""
    created = await importer.http.post(
        "/v1/imports/files", files={"file": ("list.csv", csv.encode())},
        data={"phone": "Mobile", "start": "true"}, headers=bearer(owner),
    )  # fmt: skip
    assert created.status_code == 201, created.text
    return uuid.UUID(created.json()["import_id"])


async def _small_beside_large(
    importer: ImporterUnderTest, phones: tuple[str, str], small_import: Callable[..., Any],
    rows: int = LARGE,
) -> None:  # fmt: skip
    """Start a large import of `rows` rows, then a small one, and check the small one completed
    (with its three rows) while the large one was still in its first pass."""
    large_owner = await importer.register(phones[0], "Large")
    small_owner = await importer.register(phones[1], "Small")
    large = await _paste(importer, large_owner.user_id, _numbers(rows, int(phones[0][-2:])))
    small = await small_import(importer, small_owner.user_id)

    first, seen = await _until_one_completes(importer.pool, [large, small])

    assert first == small
    big = seen[large]
    # not queued behind it: queued behind, it would find the large import's parse pass done
    assert big["rows_parsed"] < rows and big["rows_done"] == 0, big
    assert sum(json.loads(seen[small]["counts"]).values()) == 3
    assert (await importer.finished(large_owner.user_id, str(large)))["status"] == "completed"


async def test_a_paste_completes_while_a_large_import_has_barely_started(importer):
    async def paste(importer: ImporterUnderTest, owner: uuid.UUID) -> uuid.UUID:
        return await _paste(importer, owner, "06 12 34 60 01, 0612346099; +447400123456")

    await _small_beside_large(importer, ("+33612346011", "+33612346012"), paste)


async def test_a_small_file_completes_while_a_large_import_has_barely_started(importer):
    async def upload(importer: ImporterUnderTest, owner: uuid.UUID) -> uuid.UUID:
        return await _upload_and_start(importer, owner, "Mobile\n0612346201\n0612346202\nnope\n")

    # A file is read by a worker process started for it, which a busy machine takes seconds to
    # start: the large import has three times the chunks here, so that its first pass outlasts
    # that (with 800 rows it had ended first in 2 of 5 runs on 7 Dec, before and after
    # the chunk sizes were kept per import).
    await _small_beside_large(importer, ("+33612346021", "+33612346022"), upload, 3 * LARGE)


async def test_two_large_imports_of_different_owners_progress_side_by_side(importer):
    owners = [await importer.register(f"+3361234610{n}", f"Owner {n}") for n in range(2)]
    imports = list(
        await asyncio.gather(
            *(_paste(importer, o.user_id, _numbers(LARGE, 20 + n)) for n, o in enumerate(owners))
        )
    )

    first, seen = await _until_one_completes(importer.pool, imports)

    (other,) = [i for i in imports if i != first]
    assert seen[other]["rows_done"] >= LARGE / 2, seen[other]  # its statuses, half way or more
    for owner, import_id in zip(owners, imports, strict=True):
        job = await importer.finished(owner.user_id, str(import_id))
        assert job["status"] == "completed" and sum(job["counts"].values()) == LARGE, job
