"""Publishing integration events straight onto (namespaced) topics, as another service would."""

from __future__ import annotations

from collections.abc import Sequence

from aiokafka import AIOKafkaProducer
from contacts_events.base import IntegrationEvent
from contacts_events.envelope import CloudEvent, EventContext
from contacts_events.kafka_binding import to_record
from contacts_events.topics import namespaced
from contacts_messaging.kafka import make_producer
from contacts_messaging.kafka_connection import Kafka


class EventPublisher:
    """Sends events the way the outbox relay would: CloudEvents binary mode, keyed."""

    def __init__(self, kafka: Kafka, namespace: str, source: str = "/tests") -> None:
        self.kafka = kafka
        self.namespace = namespace
        self.source = source
        self._producer: AIOKafkaProducer | None = None

    async def __aenter__(self) -> EventPublisher:
        self._producer = make_producer(self.kafka, "test-publisher")
        await self._producer.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._producer is not None:
            await self._producer.stop()

    async def publish(self, *events: IntegrationEvent, times: int = 1) -> list[CloudEvent]:
        """Wrap and send each event (`times` > 1 redelivers the very same event id)."""
        envelopes = [CloudEvent.wrap(e, source=self.source, context=EventContext()) for e in events]
        await self.resend(envelopes, times=times)
        return envelopes

    async def resend(self, envelopes: Sequence[CloudEvent], times: int = 1) -> None:
        assert self._producer is not None, "use `async with EventPublisher(...)`"
        for _ in range(times):
            for envelope in envelopes:
                record = to_record(envelope)
                topic = namespaced(record.topic, self.namespace)
                await self._producer.send(
                    topic, record.value, key=record.key, headers=record.headers
                )
        await self._producer.flush()
