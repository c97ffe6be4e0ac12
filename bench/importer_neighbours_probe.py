"""What bench/importer_neighbours.py measures, over the importer's HTTP API: a paste of three
numbers from POST to `completed` (one paste now, or one a second while something else runs),
and large imports uploaded, read and started together, their progress sampled over time."""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from importer_files import MAPPING, ContactList
from importer_flow import MIME, bearer

PASTE = "06 12 34 56 78, +33 7 81 23 45 67; 0698765432"  # three numbers, as a person types them
POLL_SECONDS = 0.05  # a paste's poll, light on the importer: the figures are the
# server's completed_at anyway
PROGRESS_SECONDS = 1.0


async def paste_seconds(http: httpx.AsyncClient, owner: uuid.UUID) -> float:
    """One paste of three numbers: seconds from the POST to the server's `completed_at`."""
    headers = bearer(owner)
    began = time.time()
    response = await http.post("/v1/imports/pasted", json={"text": PASTE}, headers=headers)
    response.raise_for_status()
    path = f"/v1/imports/{response.json()['import_id']}"
    while True:
        job = (await http.get(path, headers=headers)).json()
        if job["status"] == "completed":
            return datetime.fromisoformat(job["completed_at"]).timestamp() - began
        if job["status"] == "failed":
            raise RuntimeError(f"a paste failed: {job}")
        await asyncio.sleep(POLL_SECONDS)


@dataclass
class Latencies:
    seconds: list[float] = field(default_factory=list)

    def quantile(self, q: float) -> float:
        """Nearest-rank quantile (the p99 of 60 pastes is the slowest but one)."""
        ranked = sorted(self.seconds)
        return ranked[max(0, math.ceil(q * len(ranked)) - 1)] if ranked else math.nan

    def line(self) -> str:
        return (f"{len(self.seconds)} pastes: p50 {self.quantile(0.5):.3f} s, p99 "
                f"{self.quantile(0.99):.3f} s, max {max(self.seconds, default=math.nan):.3f} s")  # fmt: skip


async def idle_pastes(url: str, count: int) -> Latencies:
    """`count` pastes one after the other, each of a new owner, on an otherwise idle importer."""
    found = Latencies()
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        for _ in range(count):
            found.seconds.append(await paste_seconds(http, uuid.uuid4()))
    return found


async def pastes_until(url: str, done: asyncio.Event, period: float = 1.0) -> Latencies:
    """A paste of a new owner every `period` seconds until `done` (open loop: a slow paste does
    not delay the next), each one waited for to its end."""
    found = Latencies()
    async with httpx.AsyncClient(base_url=url, timeout=600) as http:
        running: list[asyncio.Task[float]] = []
        while not done.is_set():
            running.append(asyncio.create_task(paste_seconds(http, uuid.uuid4())))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), period)
        found.seconds = list(await asyncio.gather(*running))
    return found


async def extracted(http: httpx.AsyncClient, contacts: ContactList, owner: uuid.UUID) -> str:
    """Upload the list for `owner`, confirm the columns, and wait until its rows are read."""
    headers = bearer(owner)
    fmt = contacts.path.suffix.lstrip(".")
    with contacts.path.open("rb") as file:
        files = {"file": (contacts.path.name, file, MIME[fmt])}
        response = await http.post("/v1/imports/files", headers=headers, files=files)
    response.raise_for_status()
    path = f"/v1/imports/{response.json()['import_id']}"
    (await http.put(f"{path}/mapping", headers=headers, json=MAPPING)).raise_for_status()
    while True:
        job = (await http.get(path, headers=headers)).json()
        if job["status"] == "extracted":
            return str(job["import_id"])
        if job["status"] != "extracting":
            raise RuntimeError(f"extraction ended {job['status']}: {job}")
        await asyncio.sleep(0.25)


@dataclass
class Progress:
    """Samples (seconds since the start, `progress` 0..1 over both passes, rows with their
    final status) of one import, and when it completed (the server's completed_at, seconds
    since the start)."""

    samples: list[tuple[float, float, int]] = field(default_factory=list)
    finished_s: float | None = None
    job: dict[str, Any] = field(default_factory=dict)


async def started_together(
    url: str, contacts: ContactList, owners: list[uuid.UUID], deadline: float
) -> list[Progress]:
    """One import of `contacts` per owner, read first, then started at the same moment; their
    progress sampled every PROGRESS_SECONDS until every one completed."""
    async with httpx.AsyncClient(base_url=url, timeout=600) as http:
        ids = [await extracted(http, contacts, owner) for owner in owners]
        began = time.time()
        await asyncio.gather(
            *(
                http.post(f"/v1/imports/{i}/start", headers=bearer(o))
                for i, o in zip(ids, owners, strict=True)
            )
        )
        found = [Progress() for _ in ids]
        while any(p.finished_s is None for p in found):
            if time.monotonic() > deadline:
                raise TimeoutError(f"imports not completed {time.time() - began:.0f} s after start")
            for import_id, owner, progress in zip(ids, owners, found, strict=True):
                job = (await http.get(f"/v1/imports/{import_id}", headers=bearer(owner))).json()
                progress.samples.append((time.time() - began, job["progress"], job["rows_done"]))
                if job["status"] == "completed" and progress.finished_s is None:
                    progress.job = job
                    progress.finished_s = (
                        datetime.fromisoformat(job["completed_at"]).timestamp() - began
                    )
            await asyncio.sleep(PROGRESS_SECONDS)
    return found
