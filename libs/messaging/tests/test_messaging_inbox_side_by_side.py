"""Inbox consumers that apply a batch's events side by side (`side_by_side=n`), against real
Kafka and Postgres: each event in a transaction of its own, n at a time, a slot freed taking the
next event at once, and still exactly once when one of them fails for a transient reason and
the batch is delivered again."""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg
import pytest
from contacts_events.envelope import CloudEvent
from contacts_testing.consumers import record_effect, running_consumer, send_raw, wait_until
from contacts_testing.events import ProbeEvent, probe_record

pytestmark = pytest.mark.integration

OVERLAP_WAIT_SECONDS = 3.0  # how long a handler waits to see another one inside


class Overlap:
    """A handler that notes how many handlers run at once and in which transaction."""

    def __init__(self) -> None:
        self.inside = 0
        self.most_inside = 0
        self.transactions: set[int] = set()
        self.two_inside = asyncio.Event()

    async def __call__(
        self, probe: ProbeEvent, event: CloudEvent, conn: asyncpg.Connection, _: None
    ) -> None:
        self.inside += 1
        self.most_inside = max(self.most_inside, self.inside)
        if self.inside >= 2:
            self.two_inside.set()
        try:
            self.transactions.add(await conn.fetchval("SELECT txid_current()"))
            with contextlib.suppress(TimeoutError):  # one applied alone waits here in vain
                await asyncio.wait_for(self.two_inside.wait(), OVERLAP_WAIT_SECONDS)
            await record_effect(probe, event, conn, None)
        finally:
            self.inside -= 1


async def send_probes(producer, topic: str, seqs: range) -> None:
    for seq in seqs:
        record = probe_record(topic, seq=seq)
        await send_raw(producer, topic, record.key, record.value, record.headers)


async def test_a_batch_is_applied_side_by_side_in_transactions_of_their_own(
    schema_pool, kafka_bootstrap, new_topic, unique_name, producer
):
    topic = await new_topic(partitions=1)
    await send_probes(producer, topic, range(1, 5))
    handler = Overlap()

    async with running_consumer(
        schema_pool, kafka_bootstrap, topic, unique_name("g"), handler=handler,
        side_by_side=2,
    ) as consumer:  # fmt: skip
        await wait_until(lambda: consumer.applied == 4)

    seqs = await schema_pool.fetch("SELECT seq FROM effects ORDER BY seq")
    assert [row["seq"] for row in seqs] == [1, 2, 3, 4]
    assert handler.most_inside >= 2  # at the same time, not one after the other
    assert len(handler.transactions) == 4  # each event in a transaction of its own
    assert await schema_pool.fetchval("SELECT count(*) FROM inbox") == 4


async def test_a_freed_slot_takes_the_next_event_while_a_long_one_runs(
    schema_pool, kafka_bootstrap, new_topic, unique_name, producer
):
    """Two slots, five events in one batch: the first holds its slot until the other four are
    applied, which they can only be one after the other in the second slot (in lockstep, two
    by two, the first would wait for them forever). Never more than two at once."""
    topic = await new_topic(partitions=1)
    await send_probes(producer, topic, range(1, 6))
    others_done = asyncio.Event()
    inside = {"now": 0, "most": 0, "others": 0}

    async def first_waits_for_the_rest(
        probe: ProbeEvent, event: CloudEvent, conn: asyncpg.Connection, _: None
    ) -> None:
        inside["now"] += 1
        inside["most"] = max(inside["most"], inside["now"])
        try:
            if probe.seq == 1:
                await asyncio.wait_for(others_done.wait(), 30)
            await record_effect(probe, event, conn, None)
            if probe.seq > 1:
                inside["others"] += 1
                if inside["others"] == 4:
                    others_done.set()
        finally:
            inside["now"] -= 1

    async with running_consumer(
        schema_pool, kafka_bootstrap, topic, unique_name("g"), handler=first_waits_for_the_rest,
        side_by_side=2,
    ) as consumer:  # fmt: skip
        await wait_until(lambda: consumer.applied == 5)

    seqs = await schema_pool.fetch("SELECT seq FROM effects ORDER BY seq")
    assert [row["seq"] for row in seqs] == [1, 2, 3, 4, 5]
    assert inside["most"] == 2


async def test_a_transient_failure_redelivers_the_batch_and_each_event_is_applied_once(
    schema_pool, kafka_bootstrap, new_topic, unique_name, producer
):
    topic = await new_topic(partitions=1)
    await send_probes(producer, topic, range(1, 3))
    failures = {"left": 1}

    async def second_fails_once(
        probe: ProbeEvent, event: CloudEvent, conn: asyncpg.Connection, _: None
    ) -> None:
        if probe.seq == 2 and failures["left"]:
            failures["left"] -= 1
            await asyncio.sleep(0.3)  # the first one commits meanwhile
            raise ConnectionResetError("the network, for a moment")  # transient: rewind
        await record_effect(probe, event, conn, None)

    async with running_consumer(
        schema_pool, kafka_bootstrap, topic, unique_name("g"), handler=second_fails_once,
        side_by_side=2,
    ) as consumer:  # fmt: skip
        await wait_until(lambda: consumer.applied == 2 and consumer.duplicates >= 1)

    seqs = await schema_pool.fetch("SELECT seq FROM effects ORDER BY seq")
    assert [row["seq"] for row in seqs] == [1, 2]  # once each, though 1 came twice
    assert failures["left"] == 0
    assert await schema_pool.fetchval("SELECT count(*) FROM inbox") == 2


async def test_no_event_starts_after_a_transient_failure(
    schema_pool, kafka_bootstrap, new_topic, unique_name, producer
):
    """One slot, three events: the first fails for a transient reason, so the other two wait
    for the redelivery instead of running against a database that just failed; each is then
    applied once, and none of them was a duplicate (nothing of the failed pass committed)."""
    topic = await new_topic(partitions=1)
    await send_probes(producer, topic, range(1, 4))
    calls: dict[int, int] = {}

    async def first_fails_once(
        probe: ProbeEvent, event: CloudEvent, conn: asyncpg.Connection, _: None
    ) -> None:
        calls[probe.seq] = calls.get(probe.seq, 0) + 1
        if probe.seq == 1 and calls[1] == 1:
            raise ConnectionResetError("the network, for a moment")  # transient: rewind
        await record_effect(probe, event, conn, None)

    async with running_consumer(
        schema_pool, kafka_bootstrap, topic, unique_name("g"), handler=first_fails_once,
        side_by_side=1,
    ) as consumer:  # fmt: skip
        await wait_until(lambda: consumer.applied == 3)

    seqs = await schema_pool.fetch("SELECT seq FROM effects ORDER BY seq")
    assert [row["seq"] for row in seqs] == [1, 2, 3]
    assert calls == {1: 2, 2: 1, 3: 1}
    assert consumer.duplicates == 0
