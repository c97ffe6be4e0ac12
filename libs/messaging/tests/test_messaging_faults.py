"""The messaging guarantees under real process failures (SIGKILL of the broker, of a consumer)."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import uuid

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.structs import TopicPartition
from contacts_events.envelope import EventContext
from contacts_messaging.kafka import ensure_topics, make_producer
from contacts_messaging.outbox import Outbox
from contacts_messaging.relay import OutboxRelay
from contacts_messaging.topic_plan import TopicSpec
from contacts_testing.consumers import running_consumer, send_raw, wait_until
from contacts_testing.events import probe_record, probe_type
from contacts_testing.fixtures import schema_dsn
from contacts_testing.infra import TEST_STATE_DIR, LocalKafka
from contacts_testing.kafka_reader import read_topic

pytestmark = [pytest.mark.integration, pytest.mark.fault]

EVENTS = 10_000
PER_TRANSACTION = 100


@pytest.fixture
def own_broker():
    """A broker of this test's own, which it may kill without disturbing other tests."""
    state = TEST_STATE_DIR / "fault-broker"
    shutil.rmtree(state, ignore_errors=True)
    broker = LocalKafka(29192, state)
    broker.start()
    yield broker
    broker.kill()


async def test_events_survive_a_broker_sigkill_and_are_applied_once(
    own_broker, schema_pool, service_schema, postgres_admin_url, unique_name
):
    bootstrap = own_broker.bootstrap
    topic = unique_name("events")
    await ensure_topics(bootstrap, [TopicSpec(topic, partitions=4)])
    probe = probe_type(topic)
    producer = make_producer(bootstrap, "relay")
    await producer.start()
    relay = OutboxRelay(schema_pool, postgres_admin_url, producer, service_schema, batch_size=500)
    relay_task = asyncio.create_task(relay.run())
    written: list[uuid.UUID] = []

    async def write(batches: int) -> None:
        for _ in range(batches):
            async with schema_pool.acquire() as conn, conn.transaction():
                events = [
                    probe(probe_id=uuid.uuid4(), seq=len(written) + i)
                    for i in range(PER_TRANSACTION)
                ]
                envelopes = await Outbox("/tests").add(conn, events, EventContext())
            written.extend(e.id for e in envelopes)
            await asyncio.sleep(0.01)

    try:
        async with running_consumer(schema_pool, bootstrap, topic, unique_name("g")) as consumer:
            await write(30)
            await wait_until(lambda: relay.published > 0)
            await asyncio.to_thread(own_broker.kill)  # SIGKILL mid-stream
            await write(40)  # the outbox keeps accepting while Kafka is gone
            await asyncio.sleep(2)
            await asyncio.to_thread(own_broker.start)
            await write(30)
            await wait_until(lambda: consumer.applied >= EVENTS, seconds=240)
            await asyncio.sleep(1)  # let any redelivery arrive, to be counted below
    finally:
        relay_task.cancel()
        await producer.stop()

    assert len(written) == EVENTS
    on_topic = await read_topic(bootstrap, topic, expect=EVENTS, seconds=120)
    ids_on_topic = {dict(r.headers)["ce_id"].decode() for r in on_topic}
    assert ids_on_topic == {str(i) for i in written}, "an event written to the outbox is missing"
    counts = await schema_pool.fetchrow(
        "SELECT count(*) AS effects, count(DISTINCT event_id) AS distinct_ids FROM effects"
    )
    assert counts["effects"] == counts["distinct_ids"] == EVENTS, "an effect was lost or doubled"
    assert await schema_pool.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0


async def test_a_consumer_killed_between_db_commit_and_offset_commit_is_redelivered_harmlessly(
    schema_pool, service_schema, postgres_admin_url, kafka_bootstrap, new_topic, unique_name
):
    topic = await new_topic(partitions=1)
    group = unique_name("g")
    producer = make_producer(kafka_bootstrap, "sender")
    await producer.start()
    for seq in range(5):
        r = probe_record(topic, seq=seq)
        await send_raw(producer, topic, r.key, r.value, r.headers)
    await producer.stop()
    await schema_pool.execute("SELECT 1")
    command = [
        sys.executable, "-m", "contacts_testing.consumer_process",
        "--bootstrap", kafka_bootstrap, "--dsn", schema_dsn(postgres_admin_url, service_schema),
        "--schema", service_schema, "--topic", topic, "--group", group, "--expect", "5",
    ]  # fmt: skip

    crashed = await asyncio.to_thread(
        subprocess.run, [*command, "--crash-after-commit"], timeout=120
    )
    assert crashed.returncode == -9, "the consumer should have killed itself after its commit"
    applied_before_crash = await schema_pool.fetchval("SELECT count(*) FROM effects")
    assert applied_before_crash > 0
    assert await committed_offset(kafka_bootstrap, topic, group) is None

    rerun = await asyncio.to_thread(
        subprocess.run, command, timeout=120, capture_output=True, text=True, check=True
    )
    counts = json.loads(rerun.stdout.strip().splitlines()[-1])
    assert counts["duplicates"] == applied_before_crash  # redelivered, recognised by the inbox
    assert counts["applied"] + counts["duplicates"] == 5
    rows = await schema_pool.fetchrow(
        "SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM effects"
    )
    assert rows["n"] == rows["d"] == 5


async def committed_offset(bootstrap: str, topic: str, group: str) -> int | None:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        return await consumer.committed(TopicPartition(topic, 0))
    finally:
        await consumer.stop()
