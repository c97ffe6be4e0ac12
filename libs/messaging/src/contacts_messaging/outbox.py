"""Writing events to the transactional outbox, on the caller's connection and transaction."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence

import asyncpg
from contacts_events.base import IntegrationEvent
from contacts_events.envelope import CloudEvent, EventContext
from contacts_events.kafka_binding import to_record
from contacts_events.topics import namespaced

from contacts_messaging.bulk import Packed, Template, joined, template_json

_COLUMNS = ("event_id", "topic", "key", "value", "headers")
_COPY_THRESHOLD = 64
_INSERT = (
    "INSERT INTO outbox (event_id, topic, key, value, headers) VALUES ($1, $2, $3, $4, $5::jsonb)"
)


class Outbox:
    """Records events in the service's `outbox` table; the relay publishes them after commit.

    Call `add` inside the transaction that changes the state the events describe: both commit
    or neither does, so a rolled-back change never emits anything.
    """

    def __init__(self, source: str, namespace: str = "") -> None:
        self.source = source  # CloudEvents `source`, e.g. "/services/contacts"
        self.namespace = namespace  # topic prefix (see contacts_events.topics.namespaced)

    async def add(
        self,
        conn: asyncpg.Connection,
        events: Sequence[IntegrationEvent],
        context: EventContext,
    ) -> list[CloudEvent]:
        return await self.add_each(conn, [(event, context) for event in events])

    async def add_each(
        self,
        conn: asyncpg.Connection,
        events: Sequence[tuple[IntegrationEvent, EventContext]],
    ) -> list[CloudEvent]:
        """Like `add`, each event with a context of its own (that of the request or event
        that caused it), all written at once."""
        if not conn.is_in_transaction():
            raise RuntimeError("Outbox.add must run inside the state change's transaction")
        envelopes = [CloudEvent.wrap(e, source=self.source, context=c) for e, c in events]
        rows = []
        for envelope in envelopes:
            record = to_record(envelope)
            headers = json.dumps([[name, value.decode()] for name, value in record.headers])
            topic = namespaced(record.topic, self.namespace)
            rows.append((envelope.id, topic, record.key, record.value, headers))
        if len(rows) >= _COPY_THRESHOLD:
            await conn.copy_records_to_table("outbox", records=rows, columns=_COLUMNS)
        elif len(rows) > 1:
            await conn.executemany(_INSERT, rows)
        elif rows:  # most writes: one event, without executemany's batching machinery
            await conn.execute(_INSERT, *rows[0])
        return envelopes

    async def add_bulk(
        self,
        conn: asyncpg.Connection,
        topic: str,
        key: bytes,
        template: Template,
        parts: Sequence[Packed],
    ) -> None:
        """Many records of one topic and key as one outbox row (see bulk.py): `parts` made by
        `bulk.pack` with the same key and template, in order. Same transaction rule as `add`."""
        if not conn.is_in_transaction():
            raise RuntimeError("Outbox.add_bulk must run inside the state change's transaction")
        if not parts:
            return
        value = joined(parts)
        await conn.execute(
            "INSERT INTO outbox (event_id, topic, key, value, headers, bulk, expanded_bytes)"
            " VALUES ($1, $2, $3, $4, $5::jsonb, true, $6)",
            uuid.uuid4(), namespaced(topic, self.namespace), key, value.data,
            template_json(template), value.expanded_bytes,
        )  # fmt: skip
