"""CloudEvents Kafka binding (binary mode): every event survives the trip; bad records say why."""

from __future__ import annotations

import json
from uuid import UUID, uuid4

import contacts_events as ce
import pytest
from contacts_events.kafka_binding import Headers
from hypothesis import given
from hypothesis import strategies as st

pytestmark = pytest.mark.unit

CONTEXT = ce.EventContext(tenant="acme", actor=str(uuid4()), causation_id=str(uuid4()))


def _record(event: ce.IntegrationEvent, context: ce.EventContext = CONTEXT) -> ce.KafkaRecord:
    return ce.to_record(ce.CloudEvent.wrap(event, source="/tests", context=context))


def test_each_event_round_trips(sample_event: ce.IntegrationEvent) -> None:
    envelope = ce.CloudEvent.wrap(sample_event, source="/contacts-platform/tests", context=CONTEXT)
    record = ce.to_record(envelope)

    headers = dict(record.headers)
    assert record.topic == sample_event.topic
    assert record.key == sample_event.partition_key().encode()
    assert headers["content-type"] == b"application/json"
    assert headers["ce_type"] == f"io.connect.contacts.{sample_event.name}.v1".encode()
    assert headers["ce_id"] == str(envelope.id).encode()
    assert headers["ce_partitionkey"] == record.key
    assert headers["ce_subject"] == sample_event.subject().encode()
    assert headers["ce_tenant"] == b"acme"
    assert json.loads(record.value) == sample_event.model_dump(mode="json")

    decoded = ce.from_record(record.key, record.value, record.headers)
    assert decoded == envelope
    assert type(decoded.data) is type(sample_event)
    assert decoded.data == sample_event
    assert decoded.time.tzinfo is not None


def test_absent_optional_attributes_are_not_sent() -> None:
    event = ce.CompanyMemberLeft(company_id=uuid4(), user_id=uuid4())
    record = _record(event, ce.EventContext())
    names = {name for name, _ in record.headers}
    assert not names & {"ce_tenant", "ce_actor", "ce_causationid"}
    assert ce.from_record(record.key, record.value, record.headers).tenant is None


def _headers(record: ce.KafkaRecord, **replace: bytes | None) -> Headers:
    kept = [(name, value) for name, value in record.headers if name not in replace]
    return kept + [(name, value) for name, value in replace.items() if value is not None]


@pytest.fixture
def record() -> ce.KafkaRecord:
    return _record(ce.ContactArchived(owner_id=uuid4(), contact_user_id=uuid4()))


OWNER = UUID("8f5a6c1e-0b7d-4e2a-9c3f-1d2e3f4a5b6c")  # fixed: test ids must not vary between runs


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (b"{not json", "ContactArchived v1: event data is not valid JSON"),
        (b"\xff\xfe", "event data is not valid JSON"),
        (b"[1, 2]", "event data is not a JSON object but an array"),
        (b'"text"', "not a JSON object but a string"),
        (b"", "record has no value"),
        (None, "record has no value"),
        (b'{"owner_id": "nope"}', "ContactArchived v1: invalid event data.*owner_id"),
        (b'{"owner_id": "%s"}' % str(OWNER).encode(), "invalid event data.*contact_user_id"),
    ],
)
def test_bad_data_is_a_decode_error_naming_the_problem(
    record: ce.KafkaRecord, value: bytes | None, message: str
) -> None:
    with pytest.raises(ce.EventDecodeError, match=message):
        ce.from_record(record.key, value, record.headers)


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        ({"ce_id": None, "ce_type": None}, "missing CloudEvents headers: ce_id, ce_type"),
        ({"ce_type": b"io.connect.contacts.Nope.v1"}, "unknown event type 'Nope'"),
        ({"ce_type": b"io.connect.contacts.ContactArchived.v2"}, "ContactArchived v2 is not"),
        ({"ce_type": b"ContactArchived"}, "bad ce_type header"),
        ({"content-type": b"application/avro"}, "unsupported content-type 'application/avro'"),
        ({"ce_id": b"42"}, "invalid CloudEvents headers.*id"),
        ({"ce_time": b"yesterday"}, "invalid CloudEvents headers.*time"),
        ({"ce_specversion": b"0.3"}, "invalid CloudEvents headers.*specversion"),
        ({"ce_source": b"\xff"}, "missing CloudEvents headers: ce_source"),
    ],
)
def test_bad_headers_are_a_decode_error_naming_the_problem(
    record: ce.KafkaRecord, replace: dict[str, bytes | None], message: str
) -> None:
    with pytest.raises(ce.EventDecodeError, match=message):
        ce.from_record(record.key, record.value, _headers(record, **replace))


def test_content_type_parameters_are_accepted(record: ce.KafkaRecord) -> None:
    headers = _headers(record, **{"content-type": b"application/json; charset=utf-8"})
    assert ce.from_record(record.key, record.value, headers).name == "ContactArchived"


def test_the_key_stands_in_for_a_missing_partitionkey_header(record: ce.KafkaRecord) -> None:
    headers = _headers(record, ce_partitionkey=None)
    assert ce.from_record(record.key, record.value, headers).partitionkey == record.key.decode()


_phones = st.from_regex(r"\A\+[1-9][0-9]{6,14}\Z")
_names = st.text(min_size=1, max_size=200).filter(str.strip)
_texts = st.none() | st.text(min_size=1, max_size=50)


@given(phone=_phones, display_name=_names, tenant=_texts, actor=_texts)
def test_any_valid_user_round_trips(
    phone: str, display_name: str, tenant: str | None, actor: str | None
) -> None:
    event = ce.UserRegistered(
        user_id=uuid4(), connect_id="jane_doe", display_name=display_name, phone_e164=phone
    )
    envelope = ce.CloudEvent.wrap(
        event, source="/tests", context=ce.EventContext(tenant=tenant, actor=actor)
    )
    record = ce.to_record(envelope)
    assert ce.from_record(record.key, record.value, record.headers) == envelope
