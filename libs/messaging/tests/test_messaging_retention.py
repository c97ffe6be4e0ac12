"""The retention purge against real Postgres (and Kafka for the inbox's duplicates): rows older
than the retention go, newer ones stay, and what the retention promises still holds."""

from __future__ import annotations

import json
import uuid

import pytest
from contacts_messaging.host import ServiceHost
from contacts_messaging.retention import Expiry, RetentionPurge, messaging_expiries, purge_expired
from contacts_servicekit.retention_settings import RetentionSettings
from contacts_servicekit.settings import ServiceSettings
from contacts_servicekit.web.idempotency import claim, remember
from contacts_testing.consumers import running_consumer, send_raw, wait_until
from contacts_testing.events import probe_record

pytestmark = pytest.mark.integration

HOUR = 3600
DEFAULTS = RetentionSettings()  # 14 days of inbox, 48 hours of idempotency keys


class PurgingSettings(ServiceSettings):
    service_name: str = "purging"
    http_port: int = 8098


async def add_inbox_row(pool, hours_ago: float) -> uuid.UUID:
    event_id = uuid.uuid4()
    await pool.execute(
        "INSERT INTO inbox (consumer, event_id, event_type, topic, partition, \"offset\","
        " processed_at) VALUES ('g', $1, 'TestProbe', 't', 0, 0,"
        " now() - make_interval(secs => $2))",
        event_id, hours_ago * HOUR,
    )  # fmt: skip
    return event_id


async def add_key(pool, hours_ago: float) -> str:
    key = str(uuid.uuid4())
    await pool.execute(
        "INSERT INTO idempotency_keys (principal, key, request_hash, status_code, response,"
        " created_at) VALUES ('u', $1, 'h', 201, '{}', now() - make_interval(secs => $2))",
        key, hours_ago * HOUR,
    )  # fmt: skip
    return key


async def add_outbox_row(pool, sent_hours_ago: float | None) -> uuid.UUID:
    event_id = uuid.uuid4()
    await pool.execute(
        "INSERT INTO outbox (event_id, topic, key, value, headers, sent_at)"
        " VALUES ($1, 't', 'k', 'v', '[]', now() - make_interval(secs => $2))",
        event_id, sent_hours_ago * HOUR if sent_hours_ago is not None else None,
    )  # fmt: skip
    return event_id


async def test_rows_older_than_the_retention_go_and_newer_ones_stay(schema_pool):
    inbox_days = DEFAULTS.inbox_retention_hours
    keys_hours = DEFAULTS.idempotency_retention_hours
    old_events = {await add_inbox_row(schema_pool, inbox_days + h) for h in (1, 100)}
    new_events = {await add_inbox_row(schema_pool, inbox_days - h) for h in (1, 100)}
    old_keys = {await add_key(schema_pool, keys_hours + 1)}
    new_keys = {await add_key(schema_pool, keys_hours - 1), await add_key(schema_pool, 0)}

    purged = await RetentionPurge(schema_pool, messaging_expiries(DEFAULTS), 600).purge_all()

    assert purged == {"inbox": len(old_events), "idempotency_keys": len(old_keys)}
    left_events = {r["event_id"] for r in await schema_pool.fetch("SELECT event_id FROM inbox")}
    left_keys = {r["key"] for r in await schema_pool.fetch("SELECT key FROM idempotency_keys")}
    assert left_events == new_events
    assert left_keys == new_keys


async def test_a_purge_deletes_in_batches_until_nothing_old_is_left(schema_pool):
    old = [await add_inbox_row(schema_pool, 400) for _ in range(11)]
    kept = await add_inbox_row(schema_pool, 1)

    purged = await purge_expired(schema_pool, Expiry("inbox", "processed_at", 200 * HOUR), 3)

    assert purged == len(old)  # four batches of at most 3
    assert [r["event_id"] for r in await schema_pool.fetch("SELECT event_id FROM inbox")] == [kept]


async def test_the_outbox_purge_keeps_unsent_rows_whatever_their_age(schema_pool):
    unsent = await add_outbox_row(schema_pool, None)
    await schema_pool.execute("UPDATE outbox SET created_at = now() - interval '30 days'")
    recently_sent = await add_outbox_row(schema_pool, 1)
    await add_outbox_row(schema_pool, 25)

    purged = await purge_expired(schema_pool, Expiry("outbox", "sent_at", 24 * HOUR))

    assert purged == 1
    left = {r["event_id"] for r in await schema_pool.fetch("SELECT event_id FROM outbox")}
    assert left == {unsent, recently_sent}


async def test_a_duplicate_inside_the_inbox_retention_is_still_recognised(
    schema_pool, kafka_bootstrap, new_topic, unique_name, producer
):
    topic = await new_topic(partitions=1)
    record = probe_record(topic)
    purge = RetentionPurge(schema_pool, messaging_expiries(DEFAULTS), 600)
    retention = DEFAULTS.inbox_retention_hours * HOUR

    async def age_inbox(seconds: float) -> None:
        await schema_pool.execute(
            "UPDATE inbox SET processed_at = now() - make_interval(secs => $1)", seconds
        )

    async with running_consumer(schema_pool, kafka_bootstrap, topic, unique_name("g")) as consumer:
        await send_raw(producer, topic, record.key, record.value, record.headers)
        await wait_until(lambda: consumer.applied == 1)
        await age_inbox(retention - HOUR)  # applied almost a retention ago
        assert (await purge.purge_all())["inbox"] == 0
        await send_raw(producer, topic, record.key, record.value, record.headers)
        await wait_until(lambda: consumer.duplicates == 1)
        assert consumer.applied == 1

        await age_inbox(retention + HOUR)  # past the retention: forgotten, as documented
        assert (await purge.purge_all())["inbox"] == 1
        await send_raw(producer, topic, record.key, record.value, record.headers)
        await wait_until(lambda: consumer.applied == 2)


async def test_a_replay_inside_the_promised_window_still_gets_the_first_answer(schema_pool):
    async with schema_pool.acquire() as conn:
        assert await claim(conn, "u", "key-1", "hash") is None
        await remember(conn, "u", "key-1", 201, {"id": "c1"}, {"Location": "/v1/contacts/c1"})
    window = 24 * HOUR  # README.md's API conventions
    await schema_pool.execute(
        "UPDATE idempotency_keys SET created_at = now() - make_interval(secs => $1)", window - 60
    )

    await RetentionPurge(schema_pool, messaging_expiries(DEFAULTS), 600).purge_all()

    async with schema_pool.acquire() as conn:
        replayed = await claim(conn, "u", "key-1", "hash")
    assert replayed is not None
    assert (replayed.status_code, replayed.body) == (201, {"id": "c1"})
    assert replayed.headers == {"Location": "/v1/contacts/c1"}
    assert json.loads(await schema_pool.fetchval("SELECT response FROM idempotency_keys")) == {
        "id": "c1"
    }


async def test_every_service_purges_its_tables_in_the_background(
    postgres_admin_url, kafka_bootstrap, service_schema, schema_pool
):
    old_event = await add_inbox_row(schema_pool, 400)
    new_event = await add_inbox_row(schema_pool, 1)
    await add_key(schema_pool, 49)
    settings = PurgingSettings(
        database_url=postgres_admin_url, db_schema=service_schema,
        kafka_bootstrap_servers=kafka_bootstrap, retention_purge_minutes=0.01,
    )  # fmt: skip
    host = ServiceHost(settings, [], produces=[])

    async def purged() -> bool:
        keys = await schema_pool.fetchval("SELECT count(*) FROM idempotency_keys")
        events = {r["event_id"] for r in await schema_pool.fetch("SELECT event_id FROM inbox")}
        return keys == 0 and old_event not in events

    await host.start()
    try:
        await wait_until(purged, seconds=30)
    finally:
        await host.stop()
    assert [r["event_id"] for r in await schema_pool.fetch("SELECT event_id FROM inbox")] == [
        new_event
    ]


async def test_a_service_adds_its_own_purge_to_the_same_loop(
    postgres_admin_url, kafka_bootstrap, service_schema, schema_pool
):
    """`add_purge`: the service's purge runs every round, with the messaging tables'."""
    rounds: list[dict[str, int]] = []

    class CountingPurge:
        async def purge(self, pool) -> dict[str, int]:
            rounds.append({"own_table": await pool.fetchval("SELECT 3")})
            return rounds[-1]

    settings = PurgingSettings(
        database_url=postgres_admin_url, db_schema=service_schema,
        kafka_bootstrap_servers=kafka_bootstrap, retention_purge_minutes=0.01,
    )  # fmt: skip
    host = ServiceHost(settings, [], produces=[])
    host.add_purge(CountingPurge())
    await host.start()
    try:
        await wait_until(lambda: len(rounds) >= 2, seconds=30)  # once per round, every round
    finally:
        await host.stop()
    purged = await RetentionPurge(schema_pool, [CountingPurge()], 600).purge_all()
    assert purged == {"own_table": 3}
