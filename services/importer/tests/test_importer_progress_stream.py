"""Live progress as Server-Sent Events: an event per change, a final `end` event, then the
stream ends; heartbeats while nothing changes; served by any instance (read from Postgres)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from contacts_testing.second_instance import second_instance

from .conftest import bearer, running_importer
from .files import csv_bytes

pytestmark = pytest.mark.integration


async def stream(http: httpx.AsyncClient, path: str, headers: dict) -> AsyncIterator[tuple]:
    """The stream's items: ("comment", text) or (event name, data), until it ends."""
    async with http.stream("GET", path, headers=headers, timeout=60) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        event = "message"
        async for line in response.aiter_lines():
            if line.startswith(":"):
                yield "comment", line[1:].strip()
            elif line.startswith("event:"):
                event = line.removeprefix("event:").strip()
            elif line.startswith("data:"):
                yield event, json.loads(line.removeprefix("data:"))


async def test_the_stream_ends_with_the_final_state_and_counts(importer):
    owner = await importer.register("+33612362000", "Owner")
    me = bearer(owner.user_id)
    numbers = ", ".join(f"06 12 36 2{n:01d} {n:02d}" for n in range(10))
    job = (
        await importer.http.post("/v1/imports/pasted", json={"text": numbers}, headers=me)
    ).json()
    async with asyncio.timeout(60):
        items = [
            item
            async for item in stream(importer.http, f"/v1/imports/{job['import_id']}/progress", me)
        ]
    events = [(name, data) for name, data in items if name != "comment"]
    assert [name for name, _ in events][-1] == "end"
    assert all(name == "progress" for name, _ in events[:-1])
    final = events[-1][1]
    assert (final["state"], final["total_rows"], final["rows_done"]) == ("completed", 10, 10)
    assert final["progress"] == 1.0 and sum(final["counts"].values()) == 10

    stranger = await importer.http.get(
        f"/v1/imports/{job['import_id']}/progress", headers=bearer(uuid.uuid4())
    )
    assert stranger.status_code == 404


async def test_another_instance_streams_heartbeats_then_the_import_as_it_runs(
    postgres_admin_url, kafka_bootstrap, tmp_path
):
    async with running_importer(
        postgres_admin_url, kafka_bootstrap, tmp_path, IMPORT_PROGRESS_HEARTBEAT_SECONDS="0.3",
        IMPORT_PROGRESS_POLL_SECONDS="0.1",
    ) as first, second_instance(first, tmp_path) as other:  # fmt: skip
        owner = await first.register("+33612362100", "Owner")
        me = bearer(owner.user_id)
        rows = [["Mobile"]] + [[f"06 12 3{n // 100} 21 {n % 100:02d}"] for n in range(200)]
        sent = await first.http.post("/v1/imports/files", files={"file": ("l.csv", csv_bytes(rows))},
                                     data={"phone": "Mobile"}, headers=me)  # fmt: skip
        job = await first.finished(owner.user_id, sent.json()["import_id"])
        seen: list[tuple] = []
        async with asyncio.timeout(90):
            async for name, data in stream(other, f"/v1/imports/{job['import_id']}/progress", me):
                seen.append((name, data))
                if name == "comment" and not any(n == "comment" for n, _ in seen[:-1]):
                    started = await first.http.post(
                        f"/v1/imports/{job['import_id']}/start", headers=me
                    )
                    assert started.status_code == 200
        assert seen[0] == ("progress", {**seen[0][1], "state": "extracted", "rows_done": 0})
        assert ("comment", "heartbeat") in seen  # while it waited to be started
        states = [data["state"] for name, data in seen if name != "comment"]
        assert states[-1] == "completed" and seen[-1][0] == "end"
        assert "validating" in states  # a change seen on its way, from the other instance
        assert seen[-1][1]["counts"]["ready_to_invite"] == 200


async def test_a_client_that_leaves_ends_its_stream_on_the_server(importer):
    owner = await importer.register("+33612362200", "Owner")
    me = bearer(owner.user_id)
    sent = await importer.http.post("/v1/imports/files", files={"file": ("l.csv", csv_bytes(
        [["Mobile"], ["06 12 36 22 01"]]))}, data={"phone": "Mobile"}, headers=me)  # fmt: skip
    job = await importer.finished(owner.user_id, sent.json()["import_id"])  # waits: not final
    async with asyncio.timeout(30):
        async for name, data in stream(
            importer.http, f"/v1/imports/{job['import_id']}/progress", me
        ):
            assert (name, data["state"]) == ("progress", "extracted")
            break  # the client leaves
    ended = f'"import_id": "{job["import_id"]}"'

    def logged() -> bool:
        lines = importer.process.log_path.read_text().splitlines()
        return any("import.progress_stream_ended" in line and ended in line
                   and '"client_left": true' in line for line in lines)  # fmt: skip

    await importer.until(logged, seconds=10)
