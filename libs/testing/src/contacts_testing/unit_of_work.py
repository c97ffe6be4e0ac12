"""The in-memory side of `contacts_messaging.unit_of_work`: a use case's events kept in a
list, to unit-test use cases without Postgres or Kafka. A service's fake extends it with
in-memory repositories (e.g. services/contacts/tests/fake_work.py)."""

from __future__ import annotations

from contacts_events.base import IntegrationEvent


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.events: list[IntegrationEvent] = []

    def emit(self, *events: IntegrationEvent) -> None:
        self.events.extend(events)

    def event_names(self) -> list[str]:
        return [event.name for event in self.events]
