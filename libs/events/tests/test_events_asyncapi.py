"""The AsyncAPI document: complete, self-contained, consistent with what producers write."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import contacts_events as ce
import pytest
from contacts_events import asyncapi, topics

pytestmark = pytest.mark.unit

COMPONENT_KEY = re.compile(r"^[a-zA-Z0-9.\-_]+$")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return asyncapi.build_document()


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), f"{ref} points outside the document"
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_it_is_asyncapi_3_and_json_serialisable(document: dict[str, Any]) -> None:
    assert document["asyncapi"] == "3.0.0"
    assert document["info"]["title"]
    assert json.loads(json.dumps(document)) == document


def test_every_ref_resolves_inside_the_document(document: dict[str, Any]) -> None:
    refs = set(_refs(document))
    assert len(refs) > len(ce.registry.events())
    for ref in refs:
        _resolve(document, ref)


def test_every_event_is_a_message_of_its_topic_channel(document: dict[str, Any]) -> None:
    messages = document["components"]["messages"]
    channels = {channel["address"]: channel for channel in document["channels"].values()}
    assert set(channels) == set(topics.ALL)
    for cls in ce.registry.events():
        message = messages[cls.name]
        assert message["name"] == cls.name
        assert message["summary"]
        assert "\n" not in message["summary"]
        assert _resolve(document, message["payload"]["$ref"])["title"] == cls.name
        assert cls.name in channels[cls.topic]["messages"]
        ce_type = message["headers"]["properties"]["ce_type"]["const"]
        assert ce_type == ce.event_type(cls.name, cls.version)


def test_payloads_are_the_pydantic_schemas(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for cls in ce.registry.events():
        assert set(schemas[cls.name]["properties"]) == set(cls.model_fields)
    assert "RowStatus" in schemas  # shared types are components, not copies
    assert all(COMPONENT_KEY.match(key) for key in schemas)


def test_channels_document_their_key(document: dict[str, Any]) -> None:
    for channel in document["channels"].values():
        key_field = topics.KEY_FIELDS[channel["address"]]
        assert f"`{key_field}`" in channel["description"]
        assert channel["bindings"]["kafka"]["topic"] == channel["address"]
    for name, message in document["components"]["messages"].items():
        key = message["bindings"]["kafka"]["key"]
        assert key["type"] == "string"
        assert key["format"] == "uuid", name


def test_each_service_sends_its_own_events(document: dict[str, Any]) -> None:
    sent: dict[str, set[str]] = {}
    for operation in document["operations"].values():
        assert operation["action"] == "send"
        channel = _resolve(document, operation["channel"]["$ref"])
        (service,) = (tag["name"] for tag in operation["tags"])
        for ref in operation["messages"]:
            assert ref["$ref"].startswith(operation["channel"]["$ref"] + "/messages/")
            sent.setdefault(service, set()).add(_resolve(document, ref["$ref"])["$ref"])
        assert channel["messages"]
    expected: dict[str, set[str]] = {}
    for cls in ce.registry.events():
        ref = f"#/components/messages/{cls.name}"
        expected.setdefault(ce.producer_of(cls), set()).add(ref)
    assert sent == expected


def test_headers_match_what_to_record_writes(document: dict[str, Any]) -> None:
    shared = document["components"]["schemas"]["CloudEventsKafkaHeaders"]
    context = ce.EventContext(tenant="acme", actor="someone", causation_id=str(uuid4()))
    event = ce.ContactArchived(owner_id=uuid4(), contact_user_id=uuid4())
    record = ce.to_record(ce.CloudEvent.wrap(event, source="/tests", context=context))
    written = {name for name, _ in record.headers}
    assert written == set(shared["properties"])
    bare = ce.to_record(ce.CloudEvent.wrap(event, source="/tests", context=ce.EventContext()))
    assert {name for name, _ in bare.headers} == set(shared["required"])
    for name, value in record.headers:
        pattern = shared["properties"][name].get("pattern")
        assert pattern is None or re.search(pattern, value.decode())


def test_the_cli_writes_the_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "docs" / "generated" / "asyncapi.json"
    assert asyncapi.main(["--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == asyncapi.build_document()
    assert asyncapi.main([]) == 0
    assert json.loads(capsys.readouterr().out) == asyncapi.build_document()


def test_the_channel_id_is_the_topic_in_camel_case() -> None:
    assert asyncapi.channel_id_of("invitations.invitations") == "invitationsInvitations"
    assert asyncapi.channel_id_of("a.b-c_d") == "aBCD"
