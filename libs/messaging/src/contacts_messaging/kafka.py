"""Kafka clients configured the way the platform's messaging rules demand."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence

import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from contacts_messaging.broken_connections import treat_closed_transports_as_broken_connections
from contacts_messaging.kafka_connection import Kafka, client_options

log = structlog.get_logger(__name__)
treat_closed_transports_as_broken_connections()  # every service's consumers and producers


def make_producer(kafka: Kafka, client_id: str) -> AIOKafkaProducer:
    """An idempotent producer: acks from all in-sync replicas, no duplicates on retry, order kept
    per partition. (aiokafka's default is acks=1 without idempotence: not acceptable here.)"""
    return AIOKafkaProducer(
        **client_options(kafka),
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        max_batch_size=512 * 1024,
        request_timeout_ms=15_000,
        retry_backoff_ms=200,
    )


async def ensure_topics(
    kafka: Kafka,
    topics: Iterable[str],
    *,
    partitions: int,
    replication: int = 1,
    configs: Mapping[str, Mapping[str, str]] | None = None,
) -> list[str]:
    """Create the topics that do not exist yet (with `configs[name]`); return those created."""
    admin = AIOKafkaAdminClient(**client_options(kafka), request_timeout_ms=15_000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = sorted(set(topics) - existing)
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # another instance was quicker
                await admin.create_topics(
                    [
                        NewTopic(
                            name,
                            partitions,
                            replication,
                            topic_configs=dict((configs or {}).get(name, {})),
                        )
                        for name in missing
                    ]
                )
            log.info("kafka.topics_created", topics=missing)
        return missing
    finally:
        await admin.close()


async def partitions_of(
    admin: AIOKafkaAdminClient, topics: Sequence[str] | None = None
) -> dict[str, list[int]]:
    """The partitions of each of `topics` that exists (of every topic when `topics` is None)."""
    described = await admin.describe_topics(list(topics) if topics is not None else None)
    return {
        t["topic"]: sorted(p["partition"] for p in t["partitions"])
        for t in described
        if t["error_code"] == 0
    }
