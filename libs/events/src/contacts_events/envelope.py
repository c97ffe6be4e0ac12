"""CloudEvents 1.0 envelope around every integration event.

Attribute names follow the CloudEvents spec; the platform's own context travels in extension
attributes (lower-case, no separators, as the spec requires): `tenant`, `actor`,
`correlationid`, `causationid`, and `partitionkey` from the Partitioning extension.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny

from contacts_events.base import IntegrationEvent

TYPE_PREFIX = "io.connect.contacts."
_TYPE_PATTERN = re.compile(
    r"^io\.connect\.contacts\.(?P<name>[A-Za-z][A-Za-z0-9]*)\.v(?P<version>[1-9][0-9]*)$"
)


def event_type(name: str, version: int) -> str:
    """`ContactAdded`, 1 -> `io.connect.contacts.ContactAdded.v1`."""
    return f"{TYPE_PREFIX}{name}.v{version}"


def parse_event_type(value: str) -> tuple[str, int]:
    match = _TYPE_PATTERN.match(value)
    if match is None:
        raise ValueError(f"type {value!r} is not of the form {TYPE_PREFIX}<Name>.v<N>")
    return match["name"], int(match["version"])


class EventContext(BaseModel):
    """Who and what caused an event: carried from the HTTP request or the consumed event."""

    model_config = ConfigDict(frozen=True)

    correlation_id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    causation_id: str | None = None
    tenant: str | None = None
    actor: str | None = None

    @classmethod
    def caused_by(cls, envelope: CloudEvent) -> EventContext:
        """Context for events emitted while handling `envelope`: same correlation, tenant and
        actor, caused by that event."""
        return cls(
            correlation_id=envelope.correlationid,
            causation_id=str(envelope.id),
            tenant=envelope.tenant,
            actor=envelope.actor,
        )


class CloudEvent(BaseModel):
    """One event on the wire: CloudEvents context attributes plus the validated `data`."""

    model_config = ConfigDict(frozen=True)

    specversion: Literal["1.0"] = "1.0"
    id: uuid.UUID
    source: str
    type: str
    time: datetime
    subject: str | None = None
    datacontenttype: Literal["application/json"] = "application/json"
    tenant: str | None = None
    actor: str | None = None
    correlationid: str
    causationid: str | None = None
    partitionkey: str
    data: SerializeAsAny[IntegrationEvent]

    @property
    def name(self) -> str:
        return parse_event_type(self.type)[0]

    @classmethod
    def wrap(cls, event: IntegrationEvent, *, source: str, context: EventContext) -> CloudEvent:
        """A new envelope with a fresh id, for an event about to be written to the outbox."""
        return cls(
            id=uuid.uuid4(),
            source=source,
            type=event_type(event.name, event.version),
            time=datetime.now(UTC),
            subject=event.subject(),
            tenant=context.tenant,
            actor=context.actor,
            correlationid=context.correlation_id,
            causationid=context.causation_id,
            partitionkey=event.partition_key(),
            data=event,
        )

    @property
    def topic(self) -> str:
        return self.data.topic
