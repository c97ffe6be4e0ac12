"""An importer killed in the middle of an import: a restarted one finishes it, and every row
ends with exactly one status and exactly one ImportRowValidated event."""

from __future__ import annotations

import asyncio
from collections import defaultdict

import pytest
from contacts_events import topics
from contacts_events.kafka_binding import from_record
from contacts_events.topics import namespaced
from contacts_testing.kafka_reader import read_topic

from .conftest import bearer, running_importer

pytestmark = [pytest.mark.integration, pytest.mark.fault]

ROWS = 3000


async def test_a_killed_importer_resumes_and_each_row_gets_one_status(
    postgres_admin_url, kafka_bootstrap, tmp_path
):
    async with running_importer(
        postgres_admin_url, kafka_bootstrap, tmp_path, IMPORT_CHUNK_ROWS="50"
    ) as importer:
        owner = await importer.register("+33612355000", "Owner")
        text = "\n".join(
            f"06 12 {n // 10000 % 100:02d} {n // 100 % 100:02d} {n % 100:02d}" for n in range(ROWS)
        )
        created = await importer.http.post(
            "/v1/imports/pasted", json={"text": text}, headers=bearer(owner.user_id)
        )
        import_id = created.json()["import_id"]
        for _ in range(600):  # kill it once some chunks are done, well before the end
            job = (
                await importer.http.get(f"/v1/imports/{import_id}", headers=bearer(owner.user_id))
            ).json()
            if job["progress"] > 0.1:
                break
            await asyncio.sleep(0.05)
        assert 0.1 < job["progress"] < 1, job
        importer.process.kill()  # SIGKILL, mid-work

        importer.process.start()
        await asyncio.to_thread(importer.process.wait_for, "/ready")
        done = await importer.finished(owner.user_id, import_id, seconds=180)
        assert done["status"] == "completed"

        unset = await importer.pool.fetchval(
            "SELECT count(*) FROM import_row_results WHERE import_id = $1 AND status IS NULL",
            import_id,
        )
        assert unset == 0
        assert sum(done["counts"].values()) == ROWS

        topic = namespaced(topics.IMPORTS, importer.namespace)
        records = await read_topic(kafka_bootstrap, topic, expect=ROWS + 2, seconds=120)
        event_ids_per_row: dict[int, set[str]] = defaultdict(set)
        for record in records:
            event = from_record(record.key, record.value, record.headers)
            if event.name == "ImportRowValidated":
                event_ids_per_row[event.data.row_number].add(str(event.id))
        assert len(event_ids_per_row) == ROWS
        assert all(len(ids) == 1 for ids in event_ids_per_row.values()), "a row was emitted twice"
