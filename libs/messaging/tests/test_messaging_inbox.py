"""Inbox consumers against real Kafka and Postgres: exactly-once effects, poison messages."""

from __future__ import annotations

import uuid
from typing import ClassVar

import pytest
from contacts_events.base import IntegrationEvent
from contacts_events.registry import EventRegistry
from contacts_events.topics import dead_letter_topic
from contacts_testing.consumers import record_effect, running_consumer, send_raw, wait_until
from contacts_testing.events import probe_record
from contacts_testing.kafka_reader import read_topic

pytestmark = pytest.mark.integration


async def effects(pool) -> list:
    return await pool.fetch("SELECT event_id, seq FROM effects ORDER BY seq")


async def test_a_redelivered_event_is_applied_once(
    schema_pool, kafka_bootstrap, new_topic, unique_name, producer
):
    topic = await new_topic(partitions=1)
    record = probe_record(topic)
    for _ in range(3):  # the same event, delivered three times
        await send_raw(producer, topic, record.key, record.value, record.headers)

    async with running_consumer(schema_pool, kafka_bootstrap, topic, unique_name("g")) as consumer:
        await wait_until(lambda: consumer.applied + consumer.duplicates == 3)

    assert len(await effects(schema_pool)) == 1
    assert consumer.duplicates == 2
    assert await schema_pool.fetchval("SELECT count(*) FROM inbox") == 1


async def test_poison_messages_are_dead_lettered_and_the_partition_keeps_flowing(
    schema_pool, kafka_bootstrap, new_topic, unique_name, producer
):
    topic = await new_topic(partitions=1)
    group = unique_name("g")
    good = probe_record(topic, seq=7)
    headers = probe_record(topic).headers
    poison = [
        (b"k1", b"{not json", headers),  # bad JSON
        (b"k2", b'{"probe_id": "not-a-uuid"}', headers),  # schema-invalid payload
        (b"k3", b"{}", [("ce_id", b"\xff\xfe")]),  # undecodable header, no CloudEvents headers
    ]
    for key, value, hdrs in poison:
        await send_raw(producer, topic, key, value, hdrs)
    await send_raw(producer, topic, good.key, good.value, good.headers)

    async with running_consumer(schema_pool, kafka_bootstrap, topic, group) as consumer:
        await wait_until(lambda: consumer.applied == 1)
        dead = await read_topic(kafka_bootstrap, dead_letter_topic(group), expect=3, seconds=30)

    assert [row["seq"] for row in await effects(schema_pool)] == [7]
    assert [r.key for r in dead] == [b"k1", b"k2", b"k3"]
    first = dict(dead[0].headers)
    assert first["dlt-original-topic"] == topic.encode()
    assert first["dlt-original-partition"] == b"0"
    assert first["dlt-original-offset"] == b"0"
    assert first["dlt-consumer-group"] == group.encode()
    assert b"JSON" in first["dlt-error"] or b"json" in first["dlt-error"]
    assert b"probe_id" in dict(dead[1].headers)["dlt-error"]
    assert b"missing CloudEvents headers" in dict(dead[2].headers)["dlt-error"]
    assert dead[0].value == b"{not json"


async def test_a_failing_handler_is_retried_then_dead_lettered_without_blocking_others(
    schema_pool, kafka_bootstrap, new_topic, unique_name, producer
):
    topic = await new_topic(partitions=1)
    group = unique_name("g")
    calls: dict[int, int] = {}

    async def fails_on_seq_2(probe, event, conn, deps):
        calls[probe.seq] = calls.get(probe.seq, 0) + 1
        if probe.seq == 2:
            raise ValueError("cannot apply probe 2")
        await record_effect(probe, event, conn, deps)

    for seq in (1, 2, 3):
        r = probe_record(topic, seq=seq)
        await send_raw(producer, topic, r.key, r.value, r.headers)

    async with running_consumer(
        schema_pool, kafka_bootstrap, topic, group, handler=fails_on_seq_2, max_attempts=3
    ) as consumer:
        dead = await read_topic(kafka_bootstrap, dead_letter_topic(group), expect=1, seconds=30)
        await wait_until(lambda: consumer.applied == 2)

    assert calls[2] == 3
    assert [row["seq"] for row in await effects(schema_pool)] == [1, 3]
    assert dict(dead[0].headers)["dlt-attempts"] == b"3"
    assert b"cannot apply probe 2" in dict(dead[0].headers)["dlt-error"]
    # the failed event left no inbox row, so a replay after a fix would apply it
    assert await schema_pool.fetchval("SELECT count(*) FROM inbox") == 2


impostor_registry = EventRegistry()


@impostor_registry.register
class ImpostorProbe(IntegrationEvent):
    """Decoded from a TestProbe record by a registry that maps the name to another model."""

    name: ClassVar[str] = "TestProbe"
    probe_id: uuid.UUID  # the record's other fields are ignored, as unknown ones are


async def test_data_of_another_type_than_the_handler_takes_is_dead_lettered_as_such(
    schema_pool, kafka_bootstrap, new_topic, unique_name, producer
):
    topic = await new_topic(partitions=1)
    group = unique_name("g")
    r = probe_record(topic, seq=1)
    await send_raw(producer, topic, r.key, r.value, r.headers)

    async with running_consumer(
        schema_pool, kafka_bootstrap, topic, group, events=impostor_registry, max_attempts=2
    ):  # the handler takes ProbeEvent, the registry decodes ImpostorProbe
        dead = await read_topic(kafka_bootstrap, dead_letter_topic(group), expect=1, seconds=30)

    error = dict(dead[0].headers)["dlt-error"].decode()
    assert error.startswith("WrongEventData: ") and "carries ImpostorProbe" in error
    assert await effects(schema_pool) == []
