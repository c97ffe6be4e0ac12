"""The audit consumer the fault and e2e tests count events with (contacts_testing.audit): a
CancelledError aiokafka raises of its own does not end the reading, and a wait whose reading
ended says why at once instead of "never reached Kafka" after its whole timeout."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from contacts_events import CloudEvent, EventContext, to_record
from contacts_events.catalog.contacts import ContactArchived
from contacts_testing.audit import AuditConsumer

pytestmark = pytest.mark.unit


class _Record:
    def __init__(self, event: CloudEvent) -> None:
        record = to_record(event)
        self.topic, self.partition, self.offset = record.topic, 0, 0
        self.key, self.value, self.headers = record.key, record.value, record.headers


class _FlakyConsumer:
    """`getmany` raises each of `failures` once, then returns `record` every time."""

    def __init__(self, failures: list[BaseException], record: _Record) -> None:
        self.failures, self.record = failures, record

    async def getmany(self, **_: Any) -> dict[str, list[_Record]]:
        if self.failures:
            raise self.failures.pop(0)
        await asyncio.sleep(0.01)
        return {"tp": [self.record]}


def _event() -> CloudEvent:
    data = ContactArchived(owner_id=uuid.uuid4(), contact_user_id=uuid.uuid4())
    return CloudEvent.wrap(data, source="test", context=EventContext())


async def test_a_cancelled_error_the_library_raises_does_not_end_the_reading() -> None:
    event = _event()
    audit = AuditConsumer("127.0.0.1:1")
    audit._consumer = _FlakyConsumer([asyncio.CancelledError(), RuntimeError("down")], _Record(event))  # type: ignore[assignment]  # fmt: skip
    audit._task = asyncio.create_task(audit._read())
    try:
        await audit.wait_for_ids([event.id], seconds=10)
        assert audit.read_errors == 2
        assert audit.last_read_error == "RuntimeError: down"
    finally:
        audit._task.cancel()
        await asyncio.gather(audit._task, return_exceptions=True)
    assert audit._task.cancelled()  # the test's own cancel does end it


async def test_a_wait_fails_at_once_with_the_cause_when_the_reading_ended() -> None:
    async def broken() -> None:
        raise KeyError("boom")

    audit = AuditConsumer("127.0.0.1:1")
    audit._task = asyncio.create_task(broken())
    await asyncio.sleep(0)
    with pytest.raises(AssertionError, match="the audit consumer stopped reading: KeyError"):
        await audit.wait_for_ids([uuid.uuid4()], seconds=600)
    with pytest.raises(AssertionError, match="stopped reading"):
        await audit.wait_for("ContactAdded", seconds=600)
