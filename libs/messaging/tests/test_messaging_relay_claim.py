"""The relay's claim, one statement on real Postgres and Kafka: it stops after the row that
reaches the byte budget, and takes nothing while another relay of the schema holds its lock."""

from __future__ import annotations

import uuid

import pytest
from contacts_events.envelope import EventContext
from contacts_messaging.kafka import make_producer
from contacts_messaging.outbox import Outbox
from contacts_messaging.relay import OutboxRelay
from contacts_testing.events import probe_type

pytestmark = pytest.mark.integration


@pytest.fixture
async def relay_of(schema_pool, service_schema, postgres_admin_url, kafka_bootstrap):
    producer = make_producer(kafka_bootstrap, "t")
    await producer.start()
    try:
        yield lambda **options: OutboxRelay(
            schema_pool, postgres_admin_url, producer, service_schema, **options
        )
    finally:
        await producer.stop()


async def write(schema_pool, topic: str, count: int) -> list[int]:
    """`count` events of one key; the sizes of their outbox rows, in order."""
    probe = probe_type(topic)
    key = uuid.uuid4()
    async with schema_pool.acquire() as conn, conn.transaction():
        await Outbox("/services/test").add(
            conn, [probe(probe_id=key, seq=i) for i in range(count)], EventContext()
        )
    rows = await schema_pool.fetch(
        "SELECT octet_length(value) AS size FROM outbox ORDER BY position"
    )
    return [row["size"] for row in rows]


async def pending(schema_pool) -> int:
    return await schema_pool.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL")


async def test_a_claim_stops_after_the_row_that_reaches_the_byte_budget(
    schema_pool, relay_of, new_topic
):
    sizes = await write(schema_pool, await new_topic(), 7)
    assert len(set(sizes)) == 1
    relay = relay_of(max_bytes=2 * sizes[0])  # the second row reaches it

    assert await relay.publish_batch() == 2
    assert await pending(schema_pool) == 5
    assert await relay.publish_batch() == 2
    assert await relay.publish_batch() == 2
    assert await relay.publish_batch() == 1
    assert await relay.publish_batch() == 0
    sent = await schema_pool.fetch("SELECT position FROM outbox WHERE sent_at IS NOT NULL")
    assert len(sent) == 7


async def test_a_row_larger_than_the_budget_is_claimed_alone(schema_pool, relay_of, new_topic):
    await write(schema_pool, await new_topic(), 2)
    relay = relay_of(max_bytes=1)

    assert await relay.publish_batch() == 1
    assert await relay.publish_batch() == 1
    assert await pending(schema_pool) == 0


async def test_nothing_is_claimed_while_another_relay_holds_the_schemas_lock(
    schema_pool, service_schema, relay_of, new_topic
):
    await write(schema_pool, await new_topic(), 3)
    relay = relay_of()

    async with schema_pool.acquire() as other, other.transaction():
        await other.execute("SELECT pg_advisory_xact_lock(hashtext($1))", relay.channel)
        assert await relay.publish_batch() == 0
        assert await pending(schema_pool) == 3
    assert await relay.publish_batch() == 3
    assert await pending(schema_pool) == 0
