"""Reading back what is on a topic, as an audit consumer would (own group, from the start)."""

from __future__ import annotations

import asyncio
import time
import uuid

from aiokafka import AIOKafkaConsumer
from aiokafka.structs import ConsumerRecord
from contacts_messaging.kafka_connection import Kafka, client_options


async def read_topic(
    kafka: Kafka, topic: str, *, expect: int, seconds: float = 60.0
) -> list[ConsumerRecord[bytes, bytes]]:
    """Read `topic` from the beginning until `expect` records arrived or `timeout` passed."""
    consumer = AIOKafkaConsumer(
        topic,
        **client_options(kafka),
        group_id=f"reader-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    records: list[ConsumerRecord[bytes, bytes]] = []
    deadline = time.monotonic() + seconds
    try:
        while len(records) < expect and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=500, max_records=5000)
            for batch in batches.values():
                records.extend(batch)
        await asyncio.sleep(0)
        return records
    finally:
        await consumer.stop()
