"""The messaging metrics against real Kafka and Postgres: outbox gauges, consumer lag,
events consumed by outcome."""

from __future__ import annotations

import uuid

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from contacts_events.envelope import EventContext
from contacts_messaging.consumer_lag import partition_lags
from contacts_messaging.metrics_refresh import MessagingGauges
from contacts_messaging.outbox import Outbox
from contacts_testing.consumers import running_consumer, send_raw, wait_until
from contacts_testing.events import probe_record, probe_type
from prometheus_client import REGISTRY

pytestmark = pytest.mark.integration


def sample(name: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


async def test_outbox_gauges_show_the_unsent_rows_and_the_oldest_ones_age(
    schema_pool, service_schema
):
    probe = probe_type("test.outbox-gauges")
    async with schema_pool.acquire() as conn, conn.transaction():
        await Outbox("/services/test").add(
            conn, [probe(probe_id=uuid.uuid4(), seq=i) for i in range(3)], EventContext()
        )
    oldest = await schema_pool.fetchval("SELECT min(position) FROM outbox")
    await schema_pool.execute(
        "UPDATE outbox SET created_at = now() - interval '90 seconds' WHERE position = $1", oldest
    )
    gauges = MessagingGauges(schema_pool, service_schema, lambda: [])

    await gauges.refresh()
    assert sample("outbox_backlog_events", schema=service_schema) == 3
    assert sample("outbox_oldest_unsent_age_seconds", schema=service_schema) >= 90

    await schema_pool.execute("UPDATE outbox SET sent_at = now() WHERE position <= $1 + 1", oldest)
    await gauges.refresh()
    assert sample("outbox_backlog_events", schema=service_schema) == 1
    assert sample("outbox_oldest_unsent_age_seconds", schema=service_schema) < 90

    await schema_pool.execute("UPDATE outbox SET sent_at = now()")
    await gauges.refresh()
    assert sample("outbox_backlog_events", schema=service_schema) == 0
    assert sample("outbox_oldest_unsent_age_seconds", schema=service_schema) == 0


async def test_consumer_lag_is_the_high_watermark_minus_the_position(
    schema_pool, service_schema, kafka_bootstrap, new_topic, unique_name, producer
):
    topic = await new_topic(partitions=1)
    group = unique_name("g")
    for seq in range(10):
        r = probe_record(topic, seq=seq)
        await send_raw(producer, topic, r.key, r.value, r.headers)
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap, group_id=group,
                                enable_auto_commit=False, auto_offset_reset="earliest")  # fmt: skip
    await consumer.start()
    tp = TopicPartition(topic, 0)
    consumer.assign([tp])
    gauges = MessagingGauges(schema_pool, service_schema, lambda: [(group, consumer)])
    try:
        read = 0
        for _ in range(60):
            batches = await consumer.getmany(tp, timeout_ms=500, max_records=4)
            read += sum(len(b) for b in batches.values())
            if read:
                break
        assert [
            (x.topic, x.partition, x.lag) for x in await partition_lags([(group, consumer)])
        ] == [(topic, 0, 10 - read)]
        for _ in range(60):
            if read == 10:
                break
            read += sum(len(b) for b in (await consumer.getmany(tp, timeout_ms=500)).values())
        await gauges.refresh()
        assert sample("kafka_consumer_lag", group=group, topic=topic, partition="0") == 0

        consumer.assign([])  # the partition goes to another instance: its series goes away
        await gauges.refresh()
        assert sample("kafka_consumer_lag", group=group, topic=topic, partition="0") is None
    finally:
        await consumer.stop()


async def test_events_consumed_are_counted_once_applied_and_as_duplicates_after(
    schema_pool, kafka_bootstrap, new_topic, unique_name, producer
):
    topic = await new_topic(partitions=1)
    group = unique_name("g")
    record = probe_record(topic)
    for _ in range(3):
        await send_raw(producer, topic, record.key, record.value, record.headers)

    async with running_consumer(schema_pool, kafka_bootstrap, topic, group) as consumer:
        await wait_until(lambda: consumer.applied + consumer.duplicates == 3)

    labels = {"group": group, "topic": topic, "type": "TestProbe"}
    assert sample("events_consumed_total", outcome="ok", **labels) == 1
    assert sample("events_consumed_total", outcome="duplicate", **labels) == 2
    assert sample("events_consumed_total", outcome="dead_lettered", **labels) is None
