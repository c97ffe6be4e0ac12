"""The outbox and its relay against real Postgres and Kafka."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from contacts_events.envelope import EventContext
from contacts_events.kafka_binding import from_record
from contacts_messaging import bulk
from contacts_messaging.kafka import make_producer
from contacts_messaging.outbox import Outbox
from contacts_messaging.producer_settings import ProducerSettings
from contacts_messaging.record_batch import RecordShape
from contacts_messaging.relay import OutboxRelay
from contacts_testing.consumers import wait_until
from contacts_testing.earlier_bulk_rows import compressed, framed
from contacts_testing.events import probe_registry, probe_type
from contacts_testing.kafka_reader import read_topic

pytestmark = pytest.mark.integration


async def test_committed_events_reach_kafka_as_cloudevents(
    schema_pool, service_schema, postgres_admin_url, kafka_bootstrap, new_topic
):
    topic = await new_topic()
    probe = probe_type(topic)
    aggregate = uuid.uuid4()
    context = EventContext(tenant="tenant-1", actor="user-1")
    async with schema_pool.acquire() as conn, conn.transaction():
        written = await Outbox("/services/test").add(
            conn, [probe(probe_id=aggregate, seq=i) for i in range(3)], context
        )

    producer = make_producer(kafka_bootstrap, "t")
    await producer.start()
    relay = OutboxRelay(
        schema_pool,
        postgres_admin_url,
        producer,
        service_schema,
        safety_poll_seconds=3600,  # only LISTEN/NOTIFY can wake it in time
    )
    task = asyncio.create_task(relay.run())
    try:
        records = await read_topic(kafka_bootstrap, topic, expect=3, seconds=30)
        # the relay marks rows sent in the transaction it commits after Kafka's acknowledgement
        unsent = "SELECT count(*) = 0 FROM outbox WHERE sent_at IS NULL"
        await wait_until(lambda: schema_pool.fetchval(unsent), seconds=30)
    finally:
        task.cancel()
        await relay.producer.stop()

    assert [r.key for r in records] == [str(aggregate).encode()] * 3
    events = [from_record(r.key, r.value, r.headers, probe_registry) for r in records]
    assert [e.id for e in events] == [e.id for e in written]
    assert [e.data.seq for e in events] == [0, 1, 2]  # one key, one partition, in order
    headers = dict(records[0].headers)
    assert headers["ce_specversion"] == b"1.0"
    assert headers["ce_type"] == b"io.connect.contacts.TestProbe.v1"
    assert headers["ce_source"] == b"/services/test"
    assert headers["ce_tenant"] == b"tenant-1"
    assert headers["ce_correlationid"] == context.correlation_id.encode()
    assert headers["content-type"] == b"application/json"
    pending = await schema_pool.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
    assert pending == 0


async def test_rolled_back_transaction_emits_nothing(schema_pool, new_topic):
    probe = probe_type(await new_topic())

    class Boom(Exception):
        pass

    async def write_then_fail() -> None:
        async with schema_pool.acquire() as conn, conn.transaction():
            await Outbox("/services/test").add(conn, [probe(probe_id=uuid.uuid4())], EventContext())
            raise Boom

    with pytest.raises(Boom):
        await write_then_fail()

    assert await schema_pool.fetchval("SELECT count(*) FROM outbox") == 0


async def test_outbox_refuses_to_write_outside_a_transaction(schema_pool, new_topic):
    probe = probe_type(await new_topic())
    async with schema_pool.acquire() as conn:
        with pytest.raises(RuntimeError, match="inside the state change's transaction"):
            await Outbox("/s").add(conn, [probe(probe_id=uuid.uuid4())], EventContext())


async def test_bulk_writes_use_copy_and_all_rows_are_published(
    schema_pool, service_schema, postgres_admin_url, kafka_bootstrap, new_topic
):
    topic = await new_topic()
    probe = probe_type(topic)
    async with schema_pool.acquire() as conn, conn.transaction():
        written = await Outbox("/s").add(
            conn, [probe(probe_id=uuid.uuid4(), seq=i) for i in range(2500)], EventContext()
        )
    producer = make_producer(kafka_bootstrap, "t")
    await producer.start()
    relay = OutboxRelay(schema_pool, postgres_admin_url, producer, service_schema)
    task = asyncio.create_task(relay.run())
    try:
        records = await read_topic(kafka_bootstrap, topic, expect=2500, seconds=60)
    finally:
        task.cancel()
        await relay.producer.stop()
    ids = {dict(r.headers)["ce_id"].decode() for r in records}
    assert ids == {str(e.id) for e in written}


async def test_two_relays_on_one_schema_keep_each_keys_order(
    schema_pool, service_schema, postgres_admin_url, kafka_bootstrap, new_topic
):
    topic = await new_topic(partitions=4)
    probe = probe_type(topic)
    keys = [uuid.uuid4() for _ in range(8)]
    for round_ in range(20):
        async with schema_pool.acquire() as conn, conn.transaction():
            events = [probe(probe_id=key, seq=round_) for key in keys]
            await Outbox("/s").add(conn, events, EventContext())
    relays = []
    for name in ("a", "b"):
        producer = make_producer(kafka_bootstrap, f"relay-{name}")
        await producer.start()
        relays.append(
            OutboxRelay(schema_pool, postgres_admin_url, producer, service_schema, batch_size=7)
        )
    tasks = [asyncio.create_task(relay.run()) for relay in relays]
    try:
        records = await read_topic(kafka_bootstrap, topic, expect=160, seconds=60)
    finally:
        for task in tasks:
            task.cancel()
        for relay in relays:
            await relay.producer.stop()
    events = [from_record(r.key, r.value, r.headers, probe_registry) for r in records]
    for key in keys:
        assert [e.data.seq for e in events if e.data.probe_id == key] == list(range(20))
    assert len(events) == 160  # each event once: the relays never both claimed a row


async def test_bulk_rows_are_expanded_in_order_between_single_events(
    schema_pool, service_schema, postgres_admin_url, kafka_bootstrap, new_topic
):
    topic = await new_topic(partitions=4)
    probe = probe_type(topic)
    key = uuid.uuid4()
    template = [("content-type", b"application/json"), ("ce_id", None), ("ce_type", b"t.v1")]
    outbox = Outbox("/s")
    async with schema_pool.acquire() as conn, conn.transaction():
        await outbox.add(conn, [probe(probe_id=key, seq=0)], EventContext())
        packing = ProducerSettings.model_validate({"kafka_producer_batch_bytes": 16 * 1024})
        for chunk in range(3):  # 3 bulk rows of 1,500 records, over several record batches
            values = [b'{"seq": %d}' % (1 + chunk * 1500 + i) for i in range(1500)]
            shape = RecordShape.of(str(key).encode(), template)
            tails = [shape.tail(v, [str(uuid.uuid4()).encode()]) for v in values]
            parts = [bulk.pack(tails[:1000], packing), bulk.pack(tails[1000:], packing)]
            await outbox.add_bulk(conn, topic, str(key).encode(), template, parts)
        # and a bulk row of the release before, still in the outbox at an upgrade
        plain = b"".join(framed(b'{"seq": %d}' % seq, [str(uuid.uuid4()).encode()])
                         for seq in range(4501, 4601))  # fmt: skip
        await conn.execute(
            "INSERT INTO outbox (event_id, topic, key, value, headers, bulk, expanded_bytes)"
            " VALUES ($1, $2, $3, $4, $5::jsonb, true, $6)", uuid.uuid4(), topic,
            str(key).encode(), compressed(plain), bulk.template_json(template), len(plain),
        )  # fmt: skip
        await outbox.add(conn, [probe(probe_id=key, seq=4601)], EventContext())
    producer = make_producer(kafka_bootstrap, "t")
    await producer.start()
    # a byte budget of one bulk row: the relay claims one at a time and must keep going
    relay = OutboxRelay(
        schema_pool, postgres_admin_url, producer, service_schema, max_bytes=1000,
        safety_poll_seconds=3600,
    )  # fmt: skip
    task = asyncio.create_task(relay.run())
    try:
        records = await read_topic(kafka_bootstrap, topic, expect=4602, seconds=60)
        unsent = "SELECT count(*) = 0 FROM outbox WHERE sent_at IS NULL"
        await wait_until(lambda: schema_pool.fetchval(unsent), seconds=30)
    finally:
        task.cancel()
        await relay.producer.stop()
    assert {r.key for r in records} == {str(key).encode()}
    assert len({r.partition for r in records}) == 1  # one key, one partition
    seqs = [json.loads(r.value)["seq"] for r in records]
    assert seqs == list(range(4602))  # in outbox order, the bulk rows' records in theirs
    bulk_records = records[1:-1]
    assert [name for name, _ in bulk_records[0].headers] == ["content-type", "ce_id", "ce_type"]
    assert len({dict(r.headers)["ce_id"] for r in bulk_records}) == 4600
    assert all(dict(r.headers)["ce_type"] == b"t.v1" for r in bulk_records)
    assert relay.published == 4602
