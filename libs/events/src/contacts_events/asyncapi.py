"""The AsyncAPI 3.0 document of the event catalogue, generated from the registry.

python -m contacts_events.asyncapi --out docs/generated/asyncapi.json
contacts-asyncapi            # prints the document to stdout
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import sys
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from contacts_events import asyncapi_headers as headers
from contacts_events import topics
from contacts_events.base import IntegrationEvent
from contacts_events.catalog import producer_of
from contacts_events.envelope import event_type
from contacts_events.registry import EventRegistry, registry

ASYNCAPI_VERSION = "3.0.0"
KAFKA_BINDING_VERSION = "0.5.0"
SCHEMAS = "#/components/schemas/"

Document = dict[str, Any]


TopicBinding = Callable[[str], Document]
"""A topic's Kafka channel binding fields beyond its name (`partitions`, `replicas`,
`topicConfiguration`): how the services create it, which is theirs to say (their settings)."""


def build_document(
    events: EventRegistry = registry, topic_binding: TopicBinding | None = None
) -> Document:
    """One channel per topic, one message per event, one send operation per service and topic;
    each channel's Kafka binding says how its topic is made when `topic_binding` is given."""
    classes = events.events()
    schemas = payload_schemas(classes)
    channels: Document = {}
    operations: Document = {}
    messages: Document = {}
    for cls in classes:
        service, channel_id = producer_of(cls), channel_id_of(cls.topic)
        channel = channels.setdefault(channel_id, _channel(cls.topic, service, topic_binding))
        channel["messages"][cls.name] = {"$ref": f"#/components/messages/{cls.name}"}
        messages[cls.name] = _message(cls, service, schemas[cls.name])
        operation = operations.setdefault(
            f"{service}.send{channel_id[0].upper()}{channel_id[1:]}",
            _operation(service, channel_id, cls.topic),
        )
        operation["messages"].append({"$ref": f"#/channels/{channel_id}/messages/{cls.name}"})
    schemas[headers.HEADERS_SCHEMA] = headers.headers_schema()
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": _info(sorted({producer_of(cls) for cls in classes})),
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": schemas,
            "messages": messages,
            "correlationIds": {headers.CORRELATION: headers.correlation_id()},
        },
    }


def payload_schemas(classes: Sequence[type[IntegrationEvent]]) -> Document:
    """JSON schemas of every event and of the types they share, referenced by name."""
    _, top = models_json_schema(
        [(cls, "validation") for cls in classes], ref_template=SCHEMAS + "{model}"
    )
    schemas: Document = top.get("$defs", {})
    return schemas


def channel_id_of(topic: str) -> str:
    """`directory.users` -> `directoryUsers`."""
    first, *rest = re.split(r"[^A-Za-z0-9]+", topic)
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def _info(services: list[str]) -> Document:
    try:
        version = metadata.version("contacts-events")
    except metadata.PackageNotFoundError:
        version = "0.0.0"
    return {
        "title": "Contacts platform integration events",
        "version": version,
        "description": (
            "Events the contacts platform's services exchange over Kafka. Each record is a "
            "CloudEvents 1.0 event in binary content mode: the value is the JSON event data, "
            "the attributes are `ce_` headers, the key is the aggregate the event changes. "
            "Delivery is at least once: consumers deduplicate on `ce_id`. A breaking change "
            "to an event makes a new version (`.vN` in `ce_type`); older versions stay readable."
        ),
        "tags": [
            {"name": service, "description": f"Emitted by `{service}`."} for service in services
        ],
    }


def _channel(topic: str, service: str, topic_binding: TopicBinding | None) -> Document:
    key_field = topics.KEY_FIELDS.get(topic, "partition key")
    return {
        "address": topic,
        "title": topic,
        "description": (
            f"Events of the `{service}` service. Record key: the event's `{key_field}`, so all "
            f"events about one {key_field.removesuffix('_id')} share a partition and keep "
            "their order; there is no order between different keys."
        ),
        "messages": {},
        "bindings": {
            "kafka": {
                "topic": topic,
                **(topic_binding(topic) if topic_binding else {}),
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }


def _operation(service: str, channel_id: str, topic: str) -> Document:
    return {
        "action": "send",
        "channel": {"$ref": f"#/channels/{channel_id}"},
        "title": f"{service} publishes to {topic}",
        "description": (
            "Published from the service's transactional outbox by an idempotent producer "
            "(acks=all), in the same database transaction as the change it reports."
        ),
        "tags": [{"name": service}],
        "messages": [],
    }


def _message(cls: type[IntegrationEvent], service: str, payload: Document) -> Document:
    doc = inspect.cleandoc(cls.__doc__ or cls.name)
    key_field = topics.KEY_FIELDS.get(cls.topic, "")
    key_field_schema = payload.get("properties", {}).get(key_field)
    key = headers.key_schema(key_field or "partition key", _plain(key_field_schema))
    return {
        "name": cls.name,
        "title": re.sub(r"(?<!^)(?=[A-Z])", " ", cls.name).capitalize(),
        "summary": doc.split("\n\n")[0].replace("\n", " "),
        "description": doc,
        "contentType": "application/json",
        "headers": headers.message_headers(cls.name, cls.version),
        "payload": {"$ref": f"{SCHEMAS}{cls.name}"},
        "correlationId": {"$ref": f"#/components/correlationIds/{headers.CORRELATION}"},
        "tags": [{"name": service}],
        "bindings": {"kafka": {"key": key, "bindingVersion": KAFKA_BINDING_VERSION}},
        "x-cloudevents-type": event_type(cls.name, cls.version),
    }


def _plain(schema: Document | None) -> Document | None:
    """A payload field's schema without its title, reusable for the key."""
    if schema is None:
        return None
    return {name: value for name, value in schema.items() if name in ("type", "format")}


def render(events: EventRegistry = registry) -> str:
    return json.dumps(build_document(events), indent=2, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="contacts-asyncapi", description="Write the AsyncAPI document of the event catalogue."
    )
    parser.add_argument("--out", type=Path, help="file to write (default: print to stdout)")
    args = parser.parse_args(argv)
    text = render()
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
