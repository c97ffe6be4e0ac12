"""JSON schemas of the Kafka record headers and key, for the AsyncAPI document.

The headers are those `kafka_binding.to_record` writes: CloudEvents binary content mode.
"""

from __future__ import annotations

import re
from typing import Any

from contacts_events.envelope import TYPE_PREFIX, event_type

HEADERS_SCHEMA = "CloudEventsKafkaHeaders"
CORRELATION = "correlation"

_TYPE_PATTERN = "^" + re.escape(TYPE_PREFIX) + r"[A-Za-z][A-Za-z0-9]*\.v[1-9][0-9]*$"
_TEXT: dict[str, Any] = {"type": "string", "minLength": 1}
_HEADERS: dict[str, tuple[dict[str, Any], str]] = {
    "content-type": (
        {"type": "string", "const": "application/json"},
        "Media type of the record value (CloudEvents `datacontenttype`).",
    ),
    "ce_specversion": ({"type": "string", "const": "1.0"}, "CloudEvents specification version."),
    "ce_id": (
        {"type": "string", "format": "uuid"},
        "Unique id of this event. Consumers record it in their inbox: a redelivery is a no-op.",
    ),
    "ce_source": (_TEXT, "The producing service (a URI-reference)."),
    "ce_type": (
        {
            "type": "string",
            "pattern": "^" + re.escape(TYPE_PREFIX) + r"[A-Za-z][A-Za-z0-9]*\.v[1-9][0-9]*$",
        },
        f"`{TYPE_PREFIX}<Name>.v<version>`: which event, in which version of its schema.",
    ),
    "ce_time": ({"type": "string", "format": "date-time"}, "When the change happened (RFC 3339)."),
    "ce_subject": (
        _TEXT,
        "What the event is about inside the key's aggregate, e.g. `<owner>/contacts/<user>`.",
    ),
    "ce_tenant": (_TEXT, "The tenant (company) the change happened in, when there is one."),
    "ce_actor": (_TEXT, "Who caused the change: a user id, or a service for automatic changes."),
    "ce_correlationid": (_TEXT, "Shared by every event caused by one request, across services."),
    "ce_causationid": (_TEXT, "The `ce_id` of the event whose handling caused this one."),
    "ce_partitionkey": (_TEXT, "The record key, repeated (CloudEvents Partitioning extension)."),
}
_REQUIRED = (
    "content-type", "ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time",
    "ce_subject", "ce_correlationid", "ce_partitionkey",
)  # fmt: skip


def headers_schema() -> dict[str, Any]:
    """The headers every event record carries (shared by all messages)."""
    return {
        "type": "object",
        "description": "CloudEvents 1.0 attributes as Kafka headers (binary content mode). "
        "A consumer needs at least ce_specversion, ce_id, ce_source, ce_type, ce_time and "
        "ce_correlationid; producers of this platform always write the required ones below.",
        "required": list(_REQUIRED),
        "properties": {
            name: {**schema, "description": description}
            for name, (schema, description) in _HEADERS.items()
        },
    }


def message_headers(name: str, version: int) -> dict[str, Any]:
    """The headers of one message: the shared ones, with `ce_type` fixed to this event."""
    return {
        "type": "object",
        "allOf": [{"$ref": f"#/components/schemas/{HEADERS_SCHEMA}"}],
        "properties": {"ce_type": {"type": "string", "const": event_type(name, version)}},
    }


def correlation_id() -> dict[str, Any]:
    return {
        "description": "Follows one user request through every service it touches.",
        "location": "$message.header#/ce_correlationid",
    }


def key_schema(key_field: str, field_schema: dict[str, Any] | None) -> dict[str, Any]:
    """The record key: the text form of the payload's `key_field`."""
    aggregate = key_field.removesuffix("_id").replace("_", " ")
    return {
        **(field_schema or {"type": "string"}),
        "description": f"The `{key_field}` of the payload: every event about one {aggregate} "
        "goes to the same partition, so consumers see them in order.",
    }
