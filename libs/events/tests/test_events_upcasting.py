"""Versioning: a toy event at v3 in its own registry; v1 and v2 payloads are still readable."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID, uuid4

import pytest
from contacts_events import CloudEvent, EventContext, EventDecodeError, from_record, to_record
from contacts_events.base import IntegrationEvent
from contacts_events.envelope import event_type
from contacts_events.registry import EventRegistry, UnknownEventError

pytestmark = pytest.mark.unit

NOTE = "Toy"


def _toy_registry(*, with_v1_upcaster: bool = True) -> EventRegistry:
    """v1 had `text`; v2 renamed it to `body`; v3 split `author` out of it ("author: body")."""
    events = EventRegistry()

    @events.register
    class Toy(IntegrationEvent):
        name = NOTE
        version = 3
        topic = "toys"

        toy_id: UUID
        author: str
        body: str

        def partition_key(self) -> str:
            return str(self.toy_id)

    if with_v1_upcaster:

        @events.upcaster(NOTE, from_version=1)
        def rename_text(data: dict[str, Any]) -> dict[str, Any]:
            data = dict(data)
            data["body"] = data.pop("text")
            return data

    @events.upcaster(NOTE, from_version=2)
    def split_author(data: dict[str, Any]) -> dict[str, Any]:
        author, body = data["body"].split(": ", 1)
        return {**data, "author": author, "body": body}

    return events


TOY_ID = uuid4()
V1 = {"toy_id": str(TOY_ID), "text": "ann: hello"}
V2 = {"toy_id": str(TOY_ID), "body": "ann: hello"}
V3 = {"toy_id": str(TOY_ID), "author": "ann", "body": "hello"}


@pytest.mark.parametrize(("version", "payload"), [(1, V1), (2, V2), (3, V3)])
def test_every_published_version_reads_as_the_latest(version: int, payload: dict[str, Any]) -> None:
    events = _toy_registry()
    toy = events.load(NOTE, version, payload)
    assert type(toy) is events.latest(NOTE)
    assert toy.model_dump() == {"toy_id": TOY_ID, "author": "ann", "body": "hello"}


def test_upcasters_do_not_change_the_payload_they_are_given() -> None:
    payload = dict(V1)
    _toy_registry().load(NOTE, 1, payload)
    assert payload == V1


def test_a_missing_upcaster_is_an_unknown_event() -> None:
    with pytest.raises(UnknownEventError, match="no upcaster for Toy v1 -> v2"):
        _toy_registry(with_v1_upcaster=False).load(NOTE, 1, V1)


@pytest.mark.parametrize("version", [0, 4])
def test_a_version_out_of_range_is_an_unknown_event(version: int) -> None:
    with pytest.raises(
        UnknownEventError, match=f"Toy v{version} is not readable.*latest known: v3"
    ):
        _toy_registry().load(NOTE, version, V3)


def test_a_payload_the_upcaster_cannot_lift_is_an_unknown_event() -> None:
    with pytest.raises(UnknownEventError, match="cannot upcast Toy v1 -> v2: KeyError"):
        _toy_registry().load(NOTE, 1, {"toy_id": str(TOY_ID)})


def test_registering_another_class_under_a_taken_name_is_refused() -> None:
    events = _toy_registry()

    class Impostor(IntegrationEvent):
        name = NOTE
        topic = "toys"

    with pytest.raises(ValueError, match="registered twice"):
        events.register(Impostor)


def test_an_old_record_on_kafka_decodes_to_the_latest_version() -> None:
    events = _toy_registry()
    latest = events.load(NOTE, 3, V3)  # keyed by TOY_ID, like the v1 payload below
    record = to_record(CloudEvent.wrap(latest, source="/tests", context=EventContext()))
    headers = [
        (name, event_type(NOTE, 1).encode() if name == "ce_type" else value)
        for name, value in record.headers
    ]
    v1_value = json.dumps(V1).encode()
    assert from_record(record.key, v1_value, headers, events).data == latest
    with pytest.raises(EventDecodeError, match="cannot upcast Toy v1 -> v2"):
        from_record(record.key, json.dumps({"toy_id": str(TOY_ID)}).encode(), headers, events)
