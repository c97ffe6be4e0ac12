"""An owner's account closes while a large import runs: the import stops (`failed`,
`account_closed`), no row event is written after the closure, no `ImportCompleted`, the work
still queued does nothing, and a redelivered closure changes nothing more."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from contacts_events import DeactivationReason, UserDeactivated

from .conftest import ImporterUnderTest, bearer, running_importer

pytestmark = pytest.mark.integration
ROWS = 6000


@pytest.fixture
async def importer(postgres_admin_url, kafka_bootstrap, tmp_path):
    """Chunks of 50 rows: a few thousand rows make a few hundred steps, seconds of work."""
    settings = {"IMPORT_CHUNK_ROWS": "50"}
    async with running_importer(postgres_admin_url, kafka_bootstrap, tmp_path, **settings) as it:
        yield it


async def test_a_closure_stops_a_running_import_and_its_queued_work(importer: ImporterUnderTest):
    owner = uuid.uuid4()
    import_id = await _paste(importer, owner, [f"+447400{n:06d}" for n in range(ROWS)])
    await _until_events_are_written(importer, owner, import_id)
    closure = UserDeactivated(user_id=owner, reason=DeactivationReason.CLOSED_BY_USER)
    await importer.events.publish(closure, times=2)  # redelivered too
    await importer.until(lambda: _stopped(importer, import_id))
    await importer.until(lambda: _all_work_consumed(importer), seconds=120)

    closed_at = await importer.pool.fetchval(
        "SELECT closed_at FROM closed_accounts WHERE user_id = $1", owner
    )
    written = await importer.pool.fetch(
        "SELECT headers::text LIKE '%ImportRowValidated%' AS rows, created_at FROM outbox"
        " WHERE key = $1::text::bytea AND headers::text NOT LIKE '%ImportStarted%'",
        str(import_id),
    )
    assert any(w["rows"] for w in written)  # it was running: some rows were announced
    assert all(w["rows"] for w in written), "no ImportCompleted"
    assert all(w["created_at"] < closed_at for w in written), "nothing after the closure"
    unfinished = await importer.pool.fetchval(
        "SELECT count(*) FROM import_row_results WHERE import_id = $1 AND status IS NULL", import_id
    )
    assert 0 < unfinished < ROWS
    leftovers = await importer.pool.fetchval(
        "SELECT count(*) FROM import_chunk_checks WHERE import_id = $1", import_id
    )
    assert leftovers == 0


async def _paste(importer: ImporterUnderTest, owner: uuid.UUID, numbers: list[str]) -> uuid.UUID:
    answer = await importer.http.post(
        "/v1/imports/pasted", json={"text": "\n".join(numbers)}, headers=bearer(owner)
    )
    assert answer.status_code == 201, answer.text
    return uuid.UUID(answer.json()["import_id"])


async def _until_events_are_written(
    importer: ImporterUnderTest, owner: uuid.UUID, import_id: uuid.UUID
) -> None:
    """Until the second pass (statuses and their events) is under way, well before its end."""
    for _ in range(1200):
        job = (await importer.http.get(f"/v1/imports/{import_id}", headers=bearer(owner))).json()
        if job["progress"] > 0.55:
            break
        await asyncio.sleep(0.05)
    assert 0.55 < job["progress"] < 0.9, job


async def _stopped(importer: ImporterUnderTest, import_id: uuid.UUID) -> bool:
    row = await importer.pool.fetchrow(
        "SELECT status, error->>'error' AS error FROM imports WHERE import_id = $1", import_id
    )
    return (row["status"], row["error"]) == ("failed", "account_closed")


async def _all_work_consumed(importer: ImporterUnderTest) -> bool:
    """Every work item queued for the import was taken by a worker (and did nothing more)."""
    queued = await importer.pool.fetchval(
        "SELECT count(*) FROM outbox WHERE topic LIKE '%importer.work'"
    )
    taken = await importer.pool.fetchval(
        "SELECT count(*) FROM inbox WHERE consumer LIKE '%importer.workers'"
    )
    return bool(queued == taken)
