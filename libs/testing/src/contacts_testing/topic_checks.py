"""What a broker says about a topic: its configs, partitions and in-sync replicas."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from contacts_messaging.kafka_connection import client_options


@asynccontextmanager
async def kafka_admin(bootstrap: str) -> AsyncIterator[AIOKafkaAdminClient]:
    admin = AIOKafkaAdminClient(**client_options(bootstrap), request_timeout_ms=15_000)
    await admin.start()
    try:
        yield admin
    finally:
        await admin.close()


async def topic_configs(admin: AIOKafkaAdminClient, topic: str) -> dict[str, str]:
    """The topic's configuration as the broker reports it (`retention.ms`: `-1`, ...)."""
    described = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
    return {entry[0]: entry[1] for entry in described[0].resources[0][4]}


async def replicas_of(admin: AIOKafkaAdminClient, topic: str) -> dict[int, tuple[int, int]]:
    """Per partition: (replicas, in-sync replicas)."""
    (described,) = await admin.describe_topics([topic])
    return {p["partition"]: (len(p["replicas"]), len(p["isr"])) for p in described["partitions"]}
