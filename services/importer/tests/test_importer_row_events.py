"""The chunk's fast `ImportRowValidated` records are the events the pydantic path makes."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import pytest
from contacts_events import EventContext, ImportRowValidated, ImportSource, RowStatus
from contacts_events.envelope import CloudEvent
from contacts_events.kafka_binding import from_record, to_record
from contacts_messaging.bulk import expand, joined, template_json
from contacts_messaging.producer_settings import ProducerSettings
from hypothesis import given, settings
from hypothesis import strategies as st
from importer_service.adapters.row_events import ROW_COLUMNS, RowEventWriter, uuid4_texts
from pydantic import ValidationError
from pydantic_core import PydanticSerializationError

pytestmark = pytest.mark.unit
PACKING = ProducerSettings()  # zstd, batches of 1 MB: the defaults


@dataclass(frozen=True, slots=True)
class RowEvent:
    """What one row's event says (`phone_e164` None for invalid rows)."""

    row_number: int
    raw_phone: str
    phone_e164: str | None
    status: RowStatus
    reason_code: str
    reason: str
    display_name: str | None
    email: str | None
    matched_user_id: uuid.UUID | None


def row_table(rows: Sequence[RowEvent]) -> pl.DataFrame:
    """Row events as the rows `RowEventWriter.records` takes."""
    return pl.DataFrame(
        [
            (r.row_number, r.raw_phone, r.phone_e164, r.status.value, r.reason_code, r.reason,
             r.display_name, r.email, None if r.matched_user_id is None else str(r.matched_user_id))
            for r in rows
        ],
        schema={name: pl.Int64 if name == "row_number" else pl.String for name in ROW_COLUMNS},
        orient="row",
    )  # fmt: skip


IMPORT, OWNER, USER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
SOURCE = "/services/importer"
CONTEXT = EventContext(tenant="acme", actor=str(OWNER), causation_id=str(uuid.uuid4()))
MATCHED = (RowStatus.USER_ADDED, RowStatus.ALREADY_CONTACT, RowStatus.SELF)


def row_event(**fields: Any) -> RowEvent:
    defaults: dict[str, Any] = {
        "row_number": 2, "raw_phone": "06 12 34 56 78", "phone_e164": "+33612345678",
        "status": RowStatus.READY_TO_INVITE, "reason_code": "ready_to_invite",
        "reason": "Ready to be invited by SMS.", "display_name": "Ada Lovelace",
        "email": "ada@example.org", "matched_user_id": None,
    }  # fmt: skip
    return RowEvent(**(defaults | fields))


def through_pydantic(row: RowEvent, source: ImportSource, context: EventContext) -> Any:
    event = ImportRowValidated(import_id=IMPORT, owner_id=OWNER, source=source, **vars_of(row))
    return to_record(CloudEvent.wrap(event, source=SOURCE, context=context))


def vars_of(row: RowEvent) -> dict[str, Any]:
    return {name: getattr(row, name) for name in RowEvent.__slots__}


def through_the_writer(rows: list[RowEvent], source: ImportSource, context: EventContext) -> Any:
    writer = RowEventWriter(IMPORT, OWNER, source, context, SOURCE, PACKING)
    packed = writer.records(row_table(rows))
    return list(expand(json.loads(template_json(writer.template)), joined([packed]).data))


def assert_same(row: RowEvent, source: ImportSource = ImportSource.FILE,
                context: EventContext = CONTEXT) -> None:  # fmt: skip
    expected = through_pydantic(row, source, context)
    [(value, headers)] = through_the_writer([row], source, context)
    assert value == expected.value  # byte for byte
    assert [name for name, _ in headers] == [name for name, _ in expected.headers]
    differ = {"ce_id", "ce_time"}
    assert [h for h in headers if h[0] not in differ] == [
        h for h in expected.headers if h[0] not in differ
    ]
    decoded = from_record(expected.key, value, headers)
    assert decoded.data == ImportRowValidated.model_validate_json(expected.value)
    assert decoded.subject == f"{IMPORT}/rows/{row.row_number}"


def test_every_status_gives_the_same_event() -> None:
    for status in RowStatus:
        matched = USER if status in MATCHED else None
        phone = None if status is RowStatus.INVALID else "+33612345678"
        assert_same(row_event(status=status, phone_e164=phone, matched_user_id=matched))


def test_missing_optional_fields_and_pasted_source_and_no_tenant() -> None:
    row = row_event(display_name=None, email=None)
    assert_same(row, ImportSource.PASTED, EventContext())


def test_each_record_has_its_own_id_and_subject() -> None:
    rows = [row_event(row_number=n) for n in range(2, 6)]
    records = through_the_writer(rows, ImportSource.FILE, CONTEXT)
    events = [from_record(str(IMPORT).encode(), v, h) for v, h in records]
    assert len({e.id for e in events}) == 4
    assert [e.data.row_number for e in events] == [2, 3, 4, 5]


@settings(max_examples=300, deadline=None)
@given(
    raw=st.text(max_size=256),
    name=st.none() | st.text(min_size=1, max_size=200).filter(lambda s: not s.isspace()),
    reason=st.text(min_size=1, max_size=500),
)
def test_any_text_is_escaped_as_pydantic_escapes_it(
    raw: str, name: str | None, reason: str
) -> None:
    row = row_event(raw_phone=raw, display_name=name, reason=reason)
    refused = (ValidationError, PydanticSerializationError, UnicodeEncodeError)
    try:
        through_pydantic(row, ImportSource.FILE, CONTEXT)
    except refused:  # the model refuses it (a lone surrogate, say): so does the writer
        with pytest.raises(refused):
            through_the_writer([row], ImportSource.FILE, CONTEXT)
        return
    assert_same(row)


def test_a_row_the_model_refuses_is_refused() -> None:
    writer = RowEventWriter(IMPORT, OWNER, ImportSource.FILE, CONTEXT, SOURCE, PACKING)
    with pytest.raises(ValidationError):
        writer.records(row_table([row_event(status=RowStatus.USER_ADDED, matched_user_id=None)]))
    with pytest.raises(ValidationError):
        writer.records(row_table([row_event(phone_e164="+1")]))


def test_event_ids_are_version_4_uuids_and_distinct() -> None:
    texts = uuid4_texts(2000).to_list()
    ids = [uuid.UUID(text) for text in texts]
    assert all(i.version == 4 and i.variant == uuid.RFC_4122 for i in ids)
    assert [str(i) for i in ids] == texts  # the canonical text form
    assert uuid4_texts(0).to_list() == []
    assert len(set(ids)) == 2000


def test_a_writers_outcomes_stay_each_rows_own_beyond_those_it_keeps() -> None:
    """The writer writes each outcome's fields once and keeps a few dozen: rows of many
    outcomes (a hundred `Same number as row N.`) in one chunk are still each their own."""
    rows = [
        row_event(row_number=n + 2, status=RowStatus.DUPLICATE_IN_IMPORT,
                  reason_code="duplicate_in_import", reason=f"Same number as row {n + 1}.")
        if n % 3 else row_event(row_number=n + 2)
        for n in range(300)
    ]  # fmt: skip
    records = through_the_writer(rows, ImportSource.FILE, CONTEXT)
    for row, (value, _headers) in zip(rows, records, strict=True):
        assert value == through_pydantic(row, ImportSource.FILE, CONTEXT).value


def test_an_outcome_the_model_refuses_is_refused_every_time() -> None:
    writer = RowEventWriter(IMPORT, OWNER, ImportSource.FILE, CONTEXT, SOURCE, PACKING)
    for _ in range(2):
        with pytest.raises(ValidationError):
            writer.records(row_table([row_event(reason_code="Not A Code")]))
    assert writer.records(row_table([row_event()]))  # the writer still writes good rows
