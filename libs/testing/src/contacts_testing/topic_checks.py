"""What a broker says about a topic: its configs, partitions and in-sync replicas.

A topic just created may not be in the broker's metadata yet (KRaft applies the controller's
record a moment later), so each question is asked again until the broker knows the topic."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from contacts_messaging.kafka_connection import Kafka, client_options

KNOWN_WITHIN_SECONDS = 15.0


@asynccontextmanager
async def kafka_admin(kafka: Kafka) -> AsyncIterator[AIOKafkaAdminClient]:
    admin = AIOKafkaAdminClient(**client_options(kafka), request_timeout_ms=15_000)
    await admin.start()
    try:
        yield admin
    finally:
        await admin.close()


async def topic_configs(admin: AIOKafkaAdminClient, topic: str) -> dict[str, str]:
    """The topic's configuration as the broker reports it (`retention.ms`: `-1`, ...)."""
    deadline = time.monotonic() + KNOWN_WITHIN_SECONDS
    while True:
        described = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
        error_code, error_message, _type, _name, entries = described[0].resources[0][:5]
        if error_code == 0 and entries:
            return {entry[0]: entry[1] for entry in entries}
        if time.monotonic() > deadline:
            raise AssertionError(
                f"the broker did not describe {topic}'s configs within {KNOWN_WITHIN_SECONDS} s: "
                f"error {error_code} {error_message!r}"
            )
        await asyncio.sleep(0.2)


async def replicas_of(admin: AIOKafkaAdminClient, topic: str) -> dict[int, tuple[int, int]]:
    """Per partition: (replicas, in-sync replicas)."""
    deadline = time.monotonic() + KNOWN_WITHIN_SECONDS
    while True:
        (described,) = await admin.describe_topics([topic])
        if described["error_code"] == 0 and described["partitions"]:
            return {
                p["partition"]: (len(p["replicas"]), len(p["isr"])) for p in described["partitions"]
            }
        if time.monotonic() > deadline:
            raise AssertionError(
                f"the broker did not describe {topic} within {KNOWN_WITHIN_SECONDS} s: "
                f"error {described['error_code']}"
            )
        await asyncio.sleep(0.2)
