"""Kafka clients configured the way the platform's messaging rules demand."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from contacts_messaging.broken_connections import treat_closed_transports_as_broken_connections
from contacts_messaging.kafka_connection import Kafka, bootstrap_of, client_options
from contacts_messaging.producer_settings import ProducerSettings
from contacts_messaging.topic_plan import TopicSpec, check_brokers, warn_of_fewer_partitions

log = structlog.get_logger(__name__)
treat_closed_transports_as_broken_connections()  # every service's consumers and producers


def make_producer(
    kafka: Kafka, client_id: str, packing: ProducerSettings | None = None
) -> AIOKafkaProducer:
    """An idempotent producer: acks from all in-sync replicas, no duplicates on retry, order kept
    per partition. (aiokafka's default is acks=1 without idempotence: not acceptable here.)
    Compression and batch size: `packing`, else the `KAFKA_PRODUCER_*` variables."""
    packing = packing or ProducerSettings.load()
    return AIOKafkaProducer(
        **client_options(kafka),
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        compression_type=packing.compression_type,
        max_batch_size=packing.kafka_producer_batch_bytes,
        request_timeout_ms=15_000,
        retry_backoff_ms=200,
    )


async def ensure_topics(kafka: Kafka, plan: Sequence[TopicSpec]) -> list[str]:
    """Create the topics of `plan` that do not exist yet, as planned; return those created.

    Raises NotEnoughBrokers when the cluster cannot hold the planned replicas; an existing
    topic with fewer partitions than planned is left as it is, with a warning."""
    admin = AIOKafkaAdminClient(**client_options(kafka), request_timeout_ms=15_000)
    await admin.start()
    try:
        cluster = await admin.describe_cluster()
        check_brokers(plan, len(cluster["brokers"]), bootstrap_of(kafka))
        existing = set(await admin.list_topics())
        missing = [spec for spec in plan if spec.name not in existing]
        present = [spec.name for spec in plan if spec.name in existing]
        if present:
            counts = {t: len(p) for t, p in (await partitions_of(admin, present)).items()}
            warn_of_fewer_partitions(plan, counts)
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # another instance was quicker
                await admin.create_topics([_new_topic(spec) for spec in missing])
            log.info("kafka.topics_created", topics=[spec.name for spec in missing])
        return [spec.name for spec in missing]
    finally:
        await admin.close()


def _new_topic(spec: TopicSpec) -> NewTopic:
    return NewTopic(spec.name, spec.partitions, spec.replication, topic_configs=dict(spec.configs))


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
