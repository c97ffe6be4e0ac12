"""The relay's claim, one statement on real Postgres and Kafka: it marks the previous batch
sent and stops after the row that reaches the byte budget (a compressed bulk row of the
release before counting its records expanded); and a relay leads (claims at all) only once no other relay of the
schema holds its lock."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from contacts_events.envelope import EventContext
from contacts_messaging import bulk
from contacts_messaging.outbox import Outbox
from contacts_testing.consumers import wait_until
from contacts_testing.earlier_bulk_rows import compressed, framed
from contacts_testing.events import probe_type

pytestmark = pytest.mark.integration


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

    async with relay.leading() as conn:
        assert await relay.publish_batch(conn) == 2
        assert await pending(schema_pool) == 7  # sent; marked by the next claim
        assert await relay.publish_batch(conn) == 2  # not the first two again
        assert await pending(schema_pool) == 5
        assert await relay.publish_batch(conn) == 2
        assert await relay.publish_batch(conn) == 1
        assert await relay.publish_batch(conn) == 0
    assert relay.published == 7
    sent = await schema_pool.fetch("SELECT position FROM outbox WHERE sent_at IS NOT NULL")
    assert len(sent) == 7


async def test_a_row_larger_than_the_budget_is_claimed_alone(schema_pool, relay_of, new_topic):
    await write(schema_pool, await new_topic(), 2)
    relay = relay_of(max_bytes=1)

    async with relay.leading() as conn:
        assert await relay.publish_batch(conn) == 1
        assert await relay.publish_batch(conn) == 1
    assert await pending(schema_pool) == 0


async def test_a_compressed_bulk_row_of_the_release_before_counts_its_records_expanded(
    schema_pool, relay_of, new_topic
):
    """Three bulk rows of the release before (400 alike records framed, zstd-compressed to a
    few hundred bytes each, 33.6 KB once expanded, as the relay holds them) against a budget of
    50 KB: two rows a claim (the second reaches it). Counted by their stored bytes, all three
    would come in the first claim, eight times the budget in the relay's memory."""
    topic = await new_topic()
    template = [("content-type", b"application/json"), ("ce_id", None), ("ce_type", b"t.v1")]
    async with schema_pool.acquire() as conn, conn.transaction():
        for _ in range(3):
            plain = b"".join(framed(b'{"seq": 1}' * 4, [b"i" * 36]) for _ in range(400))
            value = compressed(plain)
            assert len(value) * 20 < len(plain) == 33_600
            await conn.execute(
                "INSERT INTO outbox (event_id, topic, key, value, headers, bulk, expanded_bytes)"
                " VALUES ($1, $2, 'k', $3, $4::jsonb, true, $5)",
                uuid.uuid4(), topic, value, bulk.template_json(template), len(plain),
            )  # fmt: skip
    relay = relay_of(max_bytes=50_000)

    async with relay.leading() as conn:
        assert await relay.publish_batch(conn) == 800
        assert await relay.publish_batch(conn) == 400
        assert await relay.publish_batch(conn) == 0
    assert await pending(schema_pool) == 0


async def test_a_relay_leads_only_when_no_other_holds_the_schemas_lock(
    schema_pool, relay_of, new_topic
):
    """Another relay leading (or one of an older release, inside its claim's transaction):
    this one waits, holding back no vacuum, then leads and publishes once the lock is free."""
    await write(schema_pool, await new_topic(), 3)
    relay = relay_of(lead_poll_seconds=0.05)

    async with schema_pool.acquire() as other, other.transaction():
        await other.execute("SELECT pg_advisory_xact_lock(hashtext($1))", relay.channel)
        task = asyncio.create_task(relay.run())
        try:
            await wait_until(lambda: relay.state == "waiting", seconds=30)
            assert await pending(schema_pool) == 3  # nothing claimed while it waits
            held = []
            for _ in range(5):  # a wait inside a statement would hold one all along
                await asyncio.sleep(0.05)
                held.append(await snapshot_held(schema_pool, relay.channel))
            assert not all(held)
        except BaseException:
            task.cancel()
            raise
    try:
        await wait_until(lambda: none_pending(schema_pool), seconds=30)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert relay.published == 3


async def test_when_the_leader_stops_another_relay_takes_over(schema_pool, relay_of, new_topic):
    topic = await new_topic()
    first, second = relay_of(), relay_of(lead_poll_seconds=0.05)
    leader = asyncio.create_task(first.run())
    await write(schema_pool, topic, 2)
    await wait_until(lambda: none_pending(schema_pool), seconds=30)
    follower = asyncio.create_task(second.run())
    try:
        await wait_until(lambda: second.state == "waiting", seconds=30)
        leader.cancel()  # its connection closes: the lock is free
        await asyncio.gather(leader, return_exceptions=True)
        await write(schema_pool, topic, 3)
        await wait_until(lambda: none_pending(schema_pool), seconds=30)
    finally:
        follower.cancel()
        await asyncio.gather(follower, return_exceptions=True)
    assert (first.published, second.published) == (2, 3)
    assert second.state == "stopped"


async def snapshot_held(schema_pool, channel: str) -> bool | None:
    """Whether the relay's connection holds a snapshot (None: no such connection)."""
    return await schema_pool.fetchval(
        "SELECT backend_xmin IS NOT NULL FROM pg_stat_activity WHERE application_name = $1",
        f"{channel}-relay",
    )


async def none_pending(schema_pool) -> bool:
    return await pending(schema_pool) == 0
