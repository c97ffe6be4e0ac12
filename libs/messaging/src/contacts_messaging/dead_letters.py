"""Dead-letter publishing: a poison message leaves its partition so the partition keeps flowing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

import structlog
from aiokafka import AIOKafkaProducer
from contacts_events.topics import dead_letter_topic

from contacts_messaging.metrics import UNKNOWN_TYPE, count_consumed

log = structlog.get_logger(__name__)


class Record(Protocol):
    """What the inbox needs of a consumed Kafka record (aiokafka's ConsumerRecord fits)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Any


class DeadLetters:
    """Copies a record to `<group>.dlt` with where it came from and why it failed, in headers
    (`dlt-original-topic`, `dlt-original-partition`, `dlt-original-offset`, `dlt-error`,
    `dlt-consumer-group`, `dlt-attempts`, `dlt-failed-at`), keeping its key, value and headers.
    The send is awaited: the original offset is committed only after the copy is safe."""

    def __init__(self, producer: AIOKafkaProducer, group: str) -> None:
        self.producer = producer
        self.group = group
        self.topic = dead_letter_topic(group)
        self.count = 0

    async def publish(
        self, record: Record, error: str, attempts: int, event_name: str = UNKNOWN_TYPE
    ) -> None:
        """Copy `record` to the dead-letter topic; `event_name` (the decoded event's, if it could
        be decoded) labels the `events_consumed_total{outcome="dead_lettered"}` count."""
        original = [(k, v) for k, v in (record.headers or ()) if not k.startswith("dlt-")]
        headers = [
            *original,
            ("dlt-original-topic", record.topic.encode()),
            ("dlt-original-partition", str(record.partition).encode()),
            ("dlt-original-offset", str(record.offset).encode()),
            ("dlt-consumer-group", self.group.encode()),
            ("dlt-error", error[:4000].encode()),
            ("dlt-attempts", str(attempts).encode()),
            ("dlt-failed-at", datetime.now(UTC).isoformat().encode()),
        ]
        delivery = await self.producer.send(
            self.topic, record.value, key=record.key, headers=headers
        )
        await delivery
        self.count += 1
        count_consumed(self.group, "dead_lettered", [(record.topic, event_name)])
        log.error(
            "inbox.dead_lettered",
            group=self.group,
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            error=error,
        )
