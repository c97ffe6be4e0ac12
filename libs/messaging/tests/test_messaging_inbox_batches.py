"""Inbox consumers with a batch handler, against real Kafka and Postgres: a batch applied
together with one inbox statement, redeliveries still applied once, and a failing batch
applied again one event at a time."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg
import pytest
from contacts_events.envelope import CloudEvent
from contacts_events.topics import dead_letter_topic
from contacts_testing.consumers import record_effect, running_consumer, send_raw, wait_until
from contacts_testing.events import ProbeEvent, probe_record
from contacts_testing.kafka_reader import read_topic

pytestmark = pytest.mark.integration


def batch_recorder(calls: list[list[int]], refuse_seq: int | None = None):
    """A batch handler writing one `effects` row per event with one statement, noting the seqs
    of each call; it fails a batch holding `refuse_seq`."""

    async def apply(events: Sequence[CloudEvent], conn: asyncpg.Connection) -> None:
        probes = [event.data for event in events]
        assert all(isinstance(probe, ProbeEvent) for probe in probes)
        calls.append([probe.seq for probe in probes])  # type: ignore[union-attr]
        if refuse_seq in calls[-1]:
            raise ValueError(f"cannot apply probe {refuse_seq} in a batch")
        await conn.execute(
            "INSERT INTO effects (event_id, probe_id, seq)"
            " SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[])",
            [event.id for event in events], [p.probe_id for p in probes], [p.seq for p in probes],  # type: ignore[union-attr]
        )  # fmt: skip

    return apply


async def test_a_batch_is_applied_together_and_a_redelivery_in_it_once(
    schema_pool, kafka_bootstrap, new_topic, unique_name, producer
):
    topic = await new_topic(partitions=1)
    records = [probe_record(topic, seq=seq) for seq in (1, 2, 3)]
    for record in [*records, records[1], records[1]]:  # the second event three times
        await send_raw(producer, topic, record.key, record.value, record.headers)
    calls: list[list[int]] = []

    async with running_consumer(
        schema_pool, kafka_bootstrap, topic, unique_name("g"),
        batch_handlers={"TestProbe": batch_recorder(calls)},
    ) as consumer:  # fmt: skip
        await wait_until(lambda: consumer.applied + consumer.duplicates == 5)

    effects = await schema_pool.fetch("SELECT seq FROM effects ORDER BY seq")
    assert [row["seq"] for row in effects] == [1, 2, 3]
    assert sorted(seq for call in calls for seq in call) == [1, 2, 3]
    assert len(calls) < 3  # together, not one call an event
    assert (consumer.applied, consumer.duplicates) == (3, 2)
    assert await schema_pool.fetchval("SELECT count(*) FROM inbox") == 3


async def test_a_failing_batch_is_applied_one_event_at_a_time(
    schema_pool, kafka_bootstrap, new_topic, unique_name, producer
):
    topic = await new_topic(partitions=1)
    group = unique_name("g")
    for seq in (1, 2, 3):
        record = probe_record(topic, seq=seq)
        await send_raw(producer, topic, record.key, record.value, record.headers)
    calls: list[list[int]] = []

    async def fails_on_seq_2(
        probe: ProbeEvent, event: CloudEvent, conn: asyncpg.Connection, deps: None
    ) -> None:
        if probe.seq == 2:
            raise ValueError("cannot apply probe 2")
        await record_effect(probe, event, conn, deps)

    async with running_consumer(
        schema_pool, kafka_bootstrap, topic, group, handler=fails_on_seq_2,
        batch_handlers={"TestProbe": batch_recorder(calls, refuse_seq=2)},
    ) as consumer:  # fmt: skip
        dead = await read_topic(kafka_bootstrap, dead_letter_topic(group), expect=1, seconds=30)
        await wait_until(lambda: consumer.applied == 2)

    effects = await schema_pool.fetch("SELECT seq FROM effects ORDER BY seq")
    assert [row["seq"] for row in effects] == [1, 3]  # the failed batch left nothing behind
    assert any(2 in call for call in calls)
    assert b"cannot apply probe 2" in dict(dead[0].headers)["dlt-error"]
    assert await schema_pool.fetchval("SELECT count(*) FROM inbox") == 2
