"""Events as the records an `InboxConsumer` reads, for tests that call its `process` directly
(no broker: the batch is exactly the events given, in their order)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from contacts_events.base import IntegrationEvent
from contacts_events.envelope import CloudEvent, EventContext
from contacts_events.kafka_binding import to_record


@dataclass
class ConsumedRecord:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Any


def consumed(events: Sequence[IntegrationEvent]) -> list[ConsumedRecord]:
    """The events as one partition's consecutive records."""
    records = [
        to_record(CloudEvent.wrap(e, source="/tests", context=EventContext())) for e in events
    ]
    return [ConsumedRecord(r.topic, 0, n, r.key, r.value, r.headers) for n, r in enumerate(records)]


class NoDeadLetters:
    """Dead letters for a test in which nothing may be dead-lettered."""

    async def publish(self, *args: object, **kwargs: object) -> None:
        raise AssertionError(f"nothing here is dead-lettered: {args} {kwargs}")
