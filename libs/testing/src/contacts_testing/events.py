"""A probe event for messaging tests, publishable on any per-test topic."""

from __future__ import annotations

import uuid
from typing import ClassVar

from contacts_events.base import IntegrationEvent
from contacts_events.envelope import CloudEvent, EventContext
from contacts_events.kafka_binding import KafkaRecord, to_record
from contacts_events.registry import EventRegistry

probe_registry = EventRegistry()
"""Test-only events, kept out of the platform's catalogue (and so out of its AsyncAPI)."""


@probe_registry.register
class ProbeEvent(IntegrationEvent):
    """Test-only event: `probe_id` is the aggregate; `seq` orders probes of one aggregate."""

    name: ClassVar[str] = "TestProbe"
    topic: ClassVar[str] = "test.probe"

    probe_id: uuid.UUID
    seq: int = 0
    note: str = ""

    def partition_key(self) -> str:
        return str(self.probe_id)


def probe_type(topic: str) -> type[ProbeEvent]:
    """ProbeEvent published on `topic` (same name and schema, so consumers decode it as usual)."""
    return type("ProbeEvent", (ProbeEvent,), {"topic": topic})


def probe_record(topic: str, seq: int = 0, probe_id: uuid.UUID | None = None) -> KafkaRecord:
    """A ready-to-send Kafka record of a new probe event on `topic`."""
    event = probe_type(topic)(probe_id=probe_id or uuid.uuid4(), seq=seq)
    return to_record(CloudEvent.wrap(event, source="/tests", context=EventContext()))
