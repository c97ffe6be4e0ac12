"""Running an InboxConsumer on a real broker inside a test, with a table of effects."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import asyncpg
from aiokafka import AIOKafkaProducer
from contacts_events.envelope import CloudEvent
from contacts_events.registry import EventRegistry
from contacts_events.topics import dead_letter_topic
from contacts_messaging.dead_letters import DeadLetters
from contacts_messaging.handlers import EventHandlers, TypedHandler
from contacts_messaging.inbox import InboxConsumer
from contacts_messaging.kafka import ensure_topics, make_producer
from contacts_messaging.kafka_connection import Kafka, broker_options
from contacts_messaging.subscription import subscribe
from contacts_messaging.topic_plan import TopicSpec
from faststream.kafka import KafkaBroker

from contacts_testing.events import ProbeEvent, probe_registry

EFFECTS_TABLE = """
CREATE TABLE IF NOT EXISTS effects (
    event_id uuid NOT NULL, probe_id uuid NOT NULL, seq int NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""


ProbeHandler = TypedHandler[ProbeEvent, None]


async def record_effect(
    probe: ProbeEvent, event: CloudEvent, conn: asyncpg.Connection, _: None
) -> None:
    """A handler whose effect can be counted: one `effects` row per application."""
    await conn.execute(
        "INSERT INTO effects (event_id, probe_id, seq) VALUES ($1, $2, $3)",
        event.id, probe.probe_id, probe.seq,
    )  # fmt: skip


@asynccontextmanager
async def running_consumer(
    pool: asyncpg.Pool,
    kafka: Kafka,
    topic: str,
    group: str,
    handler: ProbeHandler = record_effect,
    events: EventRegistry = probe_registry,
    **options: object,
) -> AsyncIterator[InboxConsumer]:
    """An InboxConsumer for TestProbe events on `topic`, subscribed through FastStream, with
    `handler` registered for them (the registry's dispatch, as in the services)."""
    probes = EventHandlers[None]()
    probes.on(ProbeEvent)(handler)
    await pool.execute(EFFECTS_TABLE)
    await ensure_topics(kafka, [TopicSpec(dead_letter_topic(group), partitions=1)])
    producer = make_producer(kafka, f"{group}-dlt")
    await producer.start()
    consumer = InboxConsumer(
        pool,
        group,
        probes.bind(None),
        DeadLetters(producer, group),
        events=events,
        **options,  # type: ignore[arg-type]
    )
    broker = KafkaBroker(**broker_options(kafka), enable_idempotence=True, logger=None)
    subscribe(broker, consumer, [topic])
    await broker.start()
    try:
        yield consumer
    finally:
        await broker.stop()
        await producer.stop()


async def wait_until(predicate: Callable[[], object], seconds: float = 60.0) -> None:
    """Poll an async or sync predicate until it is truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"condition not met within {seconds} s")


async def send_raw(
    producer: AIOKafkaProducer,
    topic: str,
    key: bytes,
    value: bytes,
    headers: list[tuple[str, bytes]],
) -> None:
    await (await producer.send(topic, value, key=key, headers=headers, partition=0))
