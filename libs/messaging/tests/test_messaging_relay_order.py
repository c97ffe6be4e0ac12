"""One entity's events leave in the order of its changes, even from concurrent transactions.

The relay publishes in outbox `position` order, which is insertion order, not commit order.
That is the order of an entity's changes because every use case takes the entity's row lock
(UPDATE, or SELECT ... FOR UPDATE) before it adds the entity's event: a second writer waits
for the first to commit before it inserts, so its row gets a later position, and the relay
can never see it without the first one (see docs/architecture.md, "Order of events")."""

from __future__ import annotations

import asyncio
import random
import uuid

import pytest
from contacts_events.envelope import EventContext
from contacts_events.kafka_binding import from_record
from contacts_messaging.kafka import make_producer
from contacts_messaging.outbox import Outbox
from contacts_messaging.relay import OutboxRelay
from contacts_servicekit.db import create_pool
from contacts_testing.events import probe_registry, probe_type
from contacts_testing.kafka_reader import read_topic

pytestmark = pytest.mark.integration

WRITERS = 60


async def test_concurrent_writers_of_one_row_publish_its_changes_in_commit_order(
    schema_pool, service_schema, postgres_admin_url, kafka_bootstrap, new_topic
):
    topic = await new_topic(partitions=4)
    probe = probe_type(topic)
    entity = uuid.uuid4()
    await schema_pool.execute("CREATE TABLE entity (id uuid PRIMARY KEY, version int NOT NULL)")
    await schema_pool.execute("INSERT INTO entity VALUES ($1, 0)", entity)
    outbox = Outbox("/s")
    chance = random.Random(7)
    pauses = [(chance.uniform(0, 0.01), chance.uniform(0, 0.01)) for _ in range(WRITERS)]
    writers = await create_pool(postgres_admin_url, service_schema, max_size=12)

    async def change(before_lock: float, holding_it: float) -> None:
        async with writers.acquire() as conn, conn.transaction():
            await asyncio.sleep(before_lock)  # the writers reach the lock in any order
            version = await conn.fetchval(
                "UPDATE entity SET version = version + 1 WHERE id = $1 RETURNING version", entity
            )
            await asyncio.sleep(holding_it)  # the relay claims meanwhile, others queue
            await outbox.add(conn, [probe(probe_id=entity, seq=version)], EventContext())

    producer = make_producer(kafka_bootstrap, "t")
    await producer.start()
    relay = OutboxRelay(schema_pool, postgres_admin_url, producer, service_schema, batch_size=3)
    task = asyncio.create_task(relay.run())  # publishing while the writers run
    try:
        await asyncio.gather(*(change(*pause) for pause in pauses))
        records = await read_topic(kafka_bootstrap, topic, expect=WRITERS, seconds=60)
    finally:
        task.cancel()
        await producer.stop()
        await writers.close()
    events = [from_record(r.key, r.value, r.headers, probe_registry) for r in records]
    assert [e.data.seq for e in events] == list(range(1, WRITERS + 1))
