"""The audit consumer the fault, e2e and bench runs count events with (contacts_testing.audit)
belongs to no consumer group: a member whose heartbeat is late under load, or whose
coordinator restarts, rejoins with no committed offsets at the partitions' ends and skips what
was published meanwhile (200,000-row fault cases lost 100,000 events that way)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import NewTopic
from contacts_events import CloudEvent, EventContext, to_record
from contacts_events.catalog.contacts import ContactArchived
from contacts_testing.audit import AuditConsumer
from contacts_testing.topic_checks import kafka_admin

pytestmark = pytest.mark.integration

PARTITIONS = 3


def _archived() -> CloudEvent:
    data = ContactArchived(owner_id=uuid.uuid4(), contact_user_id=uuid.uuid4())
    return CloudEvent.wrap(data, source="test", context=EventContext())


async def _publish(bootstrap: str, topic: str, events: list[CloudEvent]) -> None:
    """Publish `events` to `topic` (a namespaced copy of their own), keyed by owner."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for event in events:
            record = to_record(event)
            await producer.send_and_wait(
                topic, record.value, key=record.key, headers=record.headers
            )
    finally:
        await producer.stop()


def _namespace() -> tuple[str, str]:
    """A namespace of the test's own, and its copy of the contacts' topic."""
    ns = f"a{uuid.uuid4().hex[:8]}"
    return ns, f"{ns}.contacts.contacts"


async def _create(bootstrap: str, topic: str) -> None:
    async with kafka_admin(bootstrap) as admin:
        await admin.create_topics([NewTopic(topic, PARTITIONS, 1)])


async def test_it_reads_every_partition_from_its_start_without_a_group(
    kafka_bootstrap: str,
) -> None:
    ns, topic = _namespace()
    audit = AuditConsumer(kafka_bootstrap, namespace=ns, topic_names=["contacts.contacts"],
                          from_now=True)  # fmt: skip
    starting = asyncio.create_task(audit.start())
    await asyncio.sleep(1)  # the platform creates its topics after the test started reading
    assert not starting.done()
    await _create(kafka_bootstrap, topic)
    await starting
    try:
        events = [_archived() for _ in range(30)]
        await _publish(kafka_bootstrap, topic, events)

        await audit.wait_for_ids([e.id for e in events], seconds=60)

        assert {r.partition for r in audit._consumer.assignment()} == set(range(PARTITIONS))  # type: ignore[union-attr]  # fmt: skip
        async with kafka_admin(kafka_bootstrap) as admin:
            groups = {group[0] for group in await admin.list_consumer_groups()}
        assert audit.name not in groups
    finally:
        await audit.stop()


async def test_with_from_now_it_skips_what_was_published_before_it_started(
    kafka_bootstrap: str,
) -> None:
    ns, topic = _namespace()
    await _create(kafka_bootstrap, topic)
    before = [_archived() for _ in range(10)]
    await _publish(kafka_bootstrap, topic, before)

    async with AuditConsumer(kafka_bootstrap, namespace=ns, topic_names=["contacts.contacts"],
                             from_now=True) as audit:  # fmt: skip
        after = [_archived() for _ in range(10)]
        await _publish(kafka_bootstrap, topic, after)
        await audit.wait_for_ids([e.id for e in after], seconds=60)
        assert not {e.id for e in before} & audit.seen.keys()

    async with AuditConsumer(kafka_bootstrap, namespace=ns,
                             topic_names=["contacts.contacts"]) as everything:  # fmt: skip
        await everything.wait_for_ids([e.id for e in before + after], seconds=60)
