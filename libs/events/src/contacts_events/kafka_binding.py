"""CloudEvents Kafka protocol binding, binary content mode.

The record value is the JSON `data`; every other attribute is a `ce_`-prefixed header, the
content type is the `content-type` header, and the record key is `partitionkey`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from contacts_events.base import IntegrationEvent
from contacts_events.envelope import CloudEvent, parse_event_type
from contacts_events.registry import EventRegistry, UnknownEventError, registry

Headers = list[tuple[str, bytes]]

_ATTRIBUTES = (
    "specversion", "id", "source", "type", "time", "subject",
    "tenant", "actor", "correlationid", "causationid", "partitionkey",
)  # fmt: skip
_REQUIRED = ("specversion", "id", "source", "type", "time", "correlationid")
_JSON_KINDS = {list: "an array", str: "a string", int: "a number", float: "a number"}
_JSON_KINDS |= {bool: "a boolean", type(None): "null"}


class EventDecodeError(ValueError):
    """A record is not a readable event of this platform (poison message)."""


@dataclass(frozen=True, slots=True)
class KafkaRecord:
    topic: str
    key: bytes
    value: bytes
    headers: Headers


def to_record(event: CloudEvent) -> KafkaRecord:
    headers: Headers = [("content-type", event.datacontenttype.encode())]
    for attribute in _ATTRIBUTES:
        value = getattr(event, attribute)
        if value is None:
            continue
        text = value.isoformat() if isinstance(value, datetime) else str(value)
        headers.append((f"ce_{attribute}", text.encode()))
    return KafkaRecord(
        topic=event.topic,
        key=event.partitionkey.encode(),
        value=event.data.model_dump_json().encode(),
        headers=headers,
    )


def header_map(headers: Any) -> dict[str, str]:
    """Kafka headers (a sequence of name/bytes pairs) as text, ignoring undecodable ones."""
    result: dict[str, str] = {}
    for name, raw in headers or ():
        if isinstance(raw, bytes):
            try:
                result[name] = raw.decode()
            except UnicodeDecodeError:
                continue
    return result


def from_record(
    key: bytes | None, value: bytes | None, headers: Any, events: EventRegistry = registry
) -> CloudEvent:
    """Decode and validate one record; raise EventDecodeError saying what is wrong."""
    found = header_map(headers)
    attributes = {name: found[f"ce_{name}"] for name in _ATTRIBUTES if f"ce_{name}" in found}
    missing = [name for name in _REQUIRED if name not in attributes]
    if missing:
        raise EventDecodeError(
            f"missing CloudEvents headers: {', '.join('ce_' + m for m in missing)}"
        )
    content_type = found.get("content-type", "application/json")
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise EventDecodeError(f"unsupported content-type {content_type!r}")
    try:
        name, version = parse_event_type(attributes["type"])
    except ValueError as exc:
        raise EventDecodeError(f"bad ce_type header: {exc}") from exc
    data = _load_data(name, version, value, events)
    attributes.setdefault("partitionkey", (key or b"").decode(errors="replace"))
    try:
        return CloudEvent.model_validate({**attributes, "data": data})
    except ValidationError as exc:
        raise EventDecodeError(f"invalid CloudEvents headers: {_describe(exc, 'ce_')}") from exc


def _load_data(
    name: str, version: int, value: bytes | None, events: EventRegistry
) -> IntegrationEvent:
    if not value:
        raise EventDecodeError(f"{name} v{version}: record has no value (event data)")
    try:
        payload = json.loads(value)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EventDecodeError(f"{name} v{version}: event data is not valid JSON: {exc}") from exc
    if not isinstance(payload, dict):
        kind = _JSON_KINDS.get(type(payload), type(payload).__name__)
        raise EventDecodeError(f"{name} v{version}: event data is not a JSON object but {kind}")
    try:
        return events.load(name, version, payload)
    except UnknownEventError as exc:
        raise EventDecodeError(str(exc)) from exc
    except ValidationError as exc:
        raise EventDecodeError(f"{name} v{version}: invalid event data: {_describe(exc)}") from exc


def _describe(exc: ValidationError, prefix: str = "") -> str:
    """`owner_id: Input should be a valid UUID; ...`: one line, naming every bad field.

    Only pydantic's messages, never the input values: these texts end up in dead-letter headers.
    """
    problems = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"])
        problems.append(f"{prefix}{where}: {error['msg']}" if where else error["msg"])
    return "; ".join(problems)
