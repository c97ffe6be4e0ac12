"""An account closure forgets the outbox rows of the person's aggregates (erasure.forget_events),
against real Postgres and Kafka: rows already sent go at once; a row not sent yet still reaches
Kafka, and goes as soon as its mark would have come, not a retention later."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from contacts_events.envelope import EventContext
from contacts_messaging.erasure import forget_events
from contacts_messaging.outbox import Outbox
from contacts_testing.events import probe_type
from contacts_testing.kafka_reader import read_topic

pytestmark = pytest.mark.integration


async def write(schema_pool, topic: str, key: uuid.UUID, seq: int = 0) -> None:
    async with schema_pool.acquire() as conn, conn.transaction():
        await Outbox("/services/test").add(
            conn, [probe_type(topic)(probe_id=key, seq=seq)], EventContext()
        )


async def forget(schema_pool, key: uuid.UUID) -> int:
    async with schema_pool.acquire() as conn, conn.transaction():
        return await forget_events(conn, [str(key)])


async def rows_of(schema_pool, key: uuid.UUID) -> list[bool]:
    """Whether each of the key's outbox rows is marked sent, in order."""
    rows = await schema_pool.fetch(
        "SELECT sent_at IS NOT NULL AS sent FROM outbox WHERE key = $1 ORDER BY position",
        str(key).encode(),
    )
    return [row["sent"] for row in rows]


async def test_sent_rows_go_at_once_and_unsent_ones_once_kafka_has_them(
    schema_pool, relay_of, new_topic, kafka_bootstrap
):
    topic = await new_topic()
    closed, other = uuid.uuid4(), uuid.uuid4()
    relay = relay_of()
    await write(schema_pool, topic, closed, seq=1)
    async with relay.leading() as conn:
        assert await relay.publish_batch(conn) == 1
        await relay.mark_sent(conn)
        await write(schema_pool, topic, closed, seq=2)
        await write(schema_pool, topic, other)

        assert await forget(schema_pool, closed) == 1  # the sent one
        assert await rows_of(schema_pool, closed) == [False]  # still owed to Kafka

        assert await relay.publish_batch(conn) == 2
        await relay.mark_sent(conn)
    assert await rows_of(schema_pool, closed) == []
    assert await rows_of(schema_pool, other) == [True]  # kept for the retention, as any
    records = await read_topic(kafka_bootstrap, topic, expect=3, seconds=30)
    assert sorted(r.key for r in records) == sorted(
        [str(closed).encode()] * 2 + [str(other).encode()]
    )


async def test_a_row_sent_before_the_closure_and_marked_after_it_goes_at_the_mark(
    schema_pool, relay_of, new_topic
):
    topic = await new_topic()
    closed = uuid.uuid4()
    relay = relay_of()
    await write(schema_pool, topic, closed)
    async with relay.leading() as conn:
        assert await relay.publish_batch(conn) == 1  # acknowledged, its mark still to come
        assert await forget(schema_pool, closed) == 0
        assert await relay.publish_batch(conn) == 0  # the claim that marks the last batch
    assert await rows_of(schema_pool, closed) == []
    assert relay.published == 1


async def test_a_mark_that_waited_for_the_closure_leaves_the_row_to_be_sent_again_then_go(
    schema_pool, relay_of, new_topic, kafka_bootstrap
):
    topic = await new_topic()
    closed = uuid.uuid4()
    relay = relay_of()
    await write(schema_pool, topic, closed)
    async with relay.leading() as conn, schema_pool.acquire() as closing:
        assert await relay.publish_batch(conn) == 1
        erasure = closing.transaction()
        await erasure.start()
        await forget_events(closing, [str(closed)])  # holds the row until it commits
        marking = asyncio.create_task(relay.mark_sent(conn))
        await asyncio.sleep(0.5)
        assert not marking.done()  # waits for the closure's row lock
        await erasure.commit()
        await marking
        assert await rows_of(schema_pool, closed) == [False]  # neither marked nor deleted

        assert await relay.publish_batch(conn) == 1  # so it goes to Kafka again
        await relay.mark_sent(conn)
    assert await rows_of(schema_pool, closed) == []
    records = await read_topic(kafka_bootstrap, topic, expect=2, seconds=30)
    assert len({r.value for r in records}) == 1  # the same event twice: consumers deduplicate
