"""A unit of work: one transaction's changes and the events they emit, written to the outbox
in that same transaction, so neither happens without the other.

A use case takes a service's unit of work (its repositories bound to the transaction, and
`emit`) instead of a connection and the outbox: it decides, changes state through the
repositories, and emits events. Whoever opened the transaction (a route, with
`contacts_messaging.api.unit_of_work`; a consumer) writes the emitted events when the use
case returns; an error rolls both back. Emitting after the use case's locks keeps the rule
of docs/architecture.md ("Order of events"). Tests give use cases an in-memory fake instead
(`contacts_testing.unit_of_work.FakeUnitOfWork` and a service's fake repositories), with no
Postgres or Kafka.
"""

from __future__ import annotations

from typing import Protocol

import asyncpg
from contacts_events.base import IntegrationEvent
from contacts_events.envelope import EventContext

from contacts_messaging.outbox import Outbox


class EmitsEvents(Protocol):
    """What a use case needs to announce what it did."""

    def emit(self, *events: IntegrationEvent) -> None: ...


class UnitOfWork:
    """The Postgres side: a connection in a transaction and the events emitted in it. A
    service's unit of work extends it with its repositories, bound to `conn`."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.events: list[IntegrationEvent] = []

    def emit(self, *events: IntegrationEvent) -> None:
        self.events.extend(events)

    async def write_events(self, outbox: Outbox, context: EventContext) -> None:
        """Add the events emitted so far to the outbox, in this transaction, in their order."""
        if self.events:
            events, self.events = self.events, []
            await outbox.add(self.conn, events, context)
