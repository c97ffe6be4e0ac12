"""SENDS_PER_SECOND is the provider's rate for the whole service: each delivery worker paces
its sends at its share (handlers/sending/rate_share.py), following the workers running as they
come and go (a fake of them), and the workers count each other through the database
(adapters/send_workers_repository.py, a real Postgres)."""

from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta

import asyncpg
import pytest
from contacts_servicekit.migrations import discover, migrate
from invitations_service.adapters.send_workers_repository import SendWorkers
from invitations_service.entrypoints.app import MIGRATIONS
from invitations_service.handlers.sending.pacing import SendPacer
from invitations_service.handlers.sending.rate_share import RateShare
from prometheus_client import REGISTRY


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class FakeWorkers:
    """The workers running, as each heartbeat finds them (an exception: the database is down)."""

    def __init__(self, *counts: int | Exception) -> None:
        self.counts = list(counts)
        self.beats = 0
        self.left = False
        self.all_read = asyncio.Event()

    async def beat(self) -> int:
        self.beats += 1
        if len(self.counts) > 1:
            found = self.counts.pop(0)
        else:  # the last count, from now on
            found = self.counts[0]
            self.all_read.set()
        if isinstance(found, Exception):
            raise found
        return found

    async def leave(self) -> None:
        self.left = True


def _share(workers: FakeWorkers, clock: Clock, total: float = 100) -> RateShare:
    return RateShare(workers, SendPacer(total, clock=clock), total, heartbeat=0.001, clock=clock)


@pytest.mark.unit
async def test_a_worker_alone_sends_at_the_whole_rate_at_once() -> None:
    clock = Clock()
    share = _share(FakeWorkers(1), clock)
    await share.join()
    assert [share.pacer.book() for _ in range(3)] == pytest.approx([100.0, 100.01, 100.02])


@pytest.mark.unit
async def test_a_worker_joining_two_others_sends_a_third_once_they_have_counted_it() -> None:
    clock = Clock()
    share = _share(FakeWorkers(3), clock)
    await share.join()
    starts = [share.pacer.book() for _ in range(3)]
    assert starts[0] == pytest.approx(100.0015)  # a heartbeat and a half later
    assert [round(b - a, 9) for a, b in itertools.pairwise(starts)] == [0.03, 0.03]


class RecordingPacer(SendPacer):
    def __init__(self, per_second: float, clock: Clock) -> None:
        super().__init__(per_second, clock=clock)
        self.rates: list[float] = []

    def set_rate(self, per_second: float) -> None:
        super().set_rate(per_second)
        self.rates.append(per_second)


@pytest.mark.unit
async def test_the_share_follows_workers_coming_and_going_and_holds_through_an_outage() -> None:
    clock = Clock()
    workers = FakeWorkers(ConnectionError("down"), 1, 2, ConnectionError("down"), 4)
    pacer = RecordingPacer(100, clock)
    share = RateShare(workers, pacer, 100, heartbeat=0.001, clock=clock)
    await share.join()  # waited through the first failed heartbeat
    keeping = asyncio.create_task(share.keep())
    await asyncio.wait_for(workers.all_read.wait(), 10)
    keeping.cancel()
    await share.leave()
    rates = [rate for rate, _ in itertools.groupby(pacer.rates)]
    assert rates == [100, 50, 25]  # 1, 2, (down: still 2), 4 workers
    assert REGISTRY.get_sample_value("invitation_send_rate_per_second") == 25
    assert workers.left


@pytest.mark.integration
async def test_workers_count_each_other_by_the_databases_clock(
    schema_pool: asyncpg.Pool, service_schema: str
) -> None:
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, discover("invitations", MIGRATIONS))
    live_for = timedelta(seconds=30)
    first, second = SendWorkers(schema_pool, live_for), SendWorkers(schema_pool, live_for)
    assert await first.beat() == 1
    assert await second.beat() == 2
    assert await first.beat() == 2
    await schema_pool.execute(
        "INSERT INTO send_workers VALUES (gen_random_uuid(), now() - interval '1 minute')"
    )  # a worker that died a minute ago
    assert await second.beat() == 2
    assert await schema_pool.fetchval("SELECT count(*) FROM send_workers") == 2  # forgotten
    await second.leave()
    assert await first.beat() == 1
