"""`contacts-rebuild-projections`: rebuild the directory projection from the Kafka topics.

Use it when the projection tables were lost or are suspect. Stop the contacts service first
(the command refuses while the service's directory consumer is connected). It empties the
projection, forgets which directory events the projection had applied (its inbox rows), and
replays `directory.users` and `directory.companies` from the beginning through the very
handlers the service uses. The service, started again, continues from its committed offsets;
anything it reads again is recognised by the inbox. Personal contacts are not touched, only
their copied names and companies, which the replay refreshes.
"""

from __future__ import annotations

import asyncio
import sys

import structlog
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import TopicPartition
from contacts_events import topics
from contacts_events.topics import namespaced
from contacts_messaging.dead_letters import DeadLetters
from contacts_messaging.inbox import InboxConsumer
from contacts_messaging.kafka import make_producer
from contacts_messaging.kafka_connection import Kafka, client_options
from contacts_servicekit.db import create_pool
from contacts_servicekit.logging import configure_logging

from contacts_service.adapters.projection import PROJECTION_TABLES
from contacts_service.entrypoints.app import DIRECTORY_GROUP
from contacts_service.handlers.projections import directory_projection
from contacts_service.settings import ContactsSettings

log = structlog.get_logger(__name__)


class ServiceStillRunning(RuntimeError):
    pass


async def rebuild(settings: ContactsSettings) -> int:
    """Rebuild; return how many directory events were replayed."""
    ns = settings.kafka_namespace
    group = namespaced(DIRECTORY_GROUP, ns)
    source_topics = [
        namespaced(t, ns) for t in (topics.DIRECTORY_USERS, topics.DIRECTORY_COMPANIES)
    ]
    partitions = await _check_and_list_partitions(settings, group, source_topics)
    pool = await create_pool(settings.database_url, settings.db_schema, max_size=2)
    producer = make_producer(settings, "contacts-rebuild")
    await producer.start()
    try:
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute(f"TRUNCATE {', '.join(PROJECTION_TABLES)}")
            await conn.execute("UPDATE contacts SET contact_company_id = NULL")
            await conn.execute("DELETE FROM inbox WHERE consumer = $1", group)
        inbox = InboxConsumer(
            pool, group, directory_projection.bind(None), DeadLetters(producer, group)
        )
        return await _replay(settings, partitions, inbox)
    finally:
        await producer.stop()
        await pool.close()


async def _check_and_list_partitions(
    kafka: Kafka, group: str, source_topics: list[str]
) -> list[TopicPartition]:
    """Refuse while the service consumes; otherwise the partitions of the directory topics."""
    admin = AIOKafkaAdminClient(**client_options(kafka))
    await admin.start()
    try:
        described = (await admin.describe_consumer_groups([group]))[0].to_object()
        if any(g["members"] for g in described["groups"]):
            raise ServiceStillRunning(
                f"consumer group {group} is active: stop the contacts service before rebuilding "
                "(an instance that crashed drops out of the group after its session timeout)"
            )
        return [
            TopicPartition(topic["topic"], partition["partition"])
            for topic in await admin.describe_topics(source_topics)
            for partition in topic["partitions"]
        ]
    finally:
        await admin.close()


async def _replay(kafka: Kafka, partitions: list[TopicPartition], inbox: InboxConsumer) -> int:
    consumer = AIOKafkaConsumer(**client_options(kafka), enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        replayed = 0
        while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
            batches = await consumer.getmany(timeout_ms=1000, max_records=1000)
            records = [
                r
                for batch in batches.values()
                for r in batch
                if r.offset < ends[TopicPartition(r.topic, r.partition)]
            ]
            await inbox.process(records)
            replayed += len(records)
        return replayed
    finally:
        await consumer.stop()


def main() -> None:
    settings = ContactsSettings.load()
    configure_logging("contacts-rebuild", settings.log_level, settings.log_format)
    try:
        replayed = asyncio.run(rebuild(settings))
    except ServiceStillRunning as refusal:
        print(refusal, file=sys.stderr)
        raise SystemExit(1) from None
    print(f"projection rebuilt from {replayed} directory events")
