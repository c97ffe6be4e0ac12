"""A dead-lettered record read back from `<group>.dlt`: where it came from, why it failed, and
the record to put back on its original topic when it is replayed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from contacts_events.kafka_binding import header_map

REPLAY_OF = "replay-of"
"""Header on a replayed record: `<dead-letter topic>:<partition>:<offset>` it was copied from.
(Not `dlt-` prefixed, so that it survives if the record is dead-lettered again.)"""
REPLAYED_AT = "replayed-at"

_DLT_PREFIX = "dlt-"
_REPLAY_HEADERS = (REPLAY_OF, REPLAYED_AT)


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


@dataclass(frozen=True)
class DeadLetter:
    topic: str  # the dead-letter topic
    partition: int
    offset: int
    dead_lettered_at: datetime  # the dead-letter record's timestamp
    original_topic: str | None
    original_partition: int | None
    original_offset: int | None
    error: str
    attempts: int | None
    event_type: str | None  # ce_type, when the record had one
    event_id: str | None  # ce_id
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]  # the original record's headers, without dlt-*

    @classmethod
    def from_record(cls, record: Any) -> DeadLetter:
        """From an aiokafka ConsumerRecord of a dead-letter topic."""
        text = header_map(record.headers)
        original = tuple(
            (name, value or b"")
            for name, value in record.headers or ()
            if not name.startswith(_DLT_PREFIX) and name not in _REPLAY_HEADERS
        )
        return cls(
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            dead_lettered_at=datetime.fromtimestamp(record.timestamp / 1000, UTC),
            original_topic=text.get("dlt-original-topic") or None,
            original_partition=_int(text.get("dlt-original-partition")),
            original_offset=_int(text.get("dlt-original-offset")),
            error=text.get("dlt-error", ""),
            attempts=_int(text.get("dlt-attempts")),
            event_type=text.get("ce_type"),
            event_id=text.get("ce_id"),
            key=record.key,
            value=record.value,
            headers=original,
        )

    @property
    def where(self) -> str:
        return f"{self.topic}:{self.partition}:{self.offset}"

    def replay_headers(self, now: datetime) -> list[tuple[str, bytes]]:
        """The original headers (CloudEvents attributes included) plus the replay marks."""
        marks = [(REPLAY_OF, self.where.encode()), (REPLAYED_AT, now.isoformat().encode())]
        return [*self.headers, *marks]

    def summary(self) -> dict[str, Any]:
        """What an operator reads about it (no payload: it may hold personal data)."""
        return {
            "dead_letter": self.where,
            "dead_lettered_at": self.dead_lettered_at.isoformat(),
            "original": f"{self.original_topic}:{self.original_partition}:{self.original_offset}",
            "event_type": self.event_type,
            "event_id": self.event_id,
            "attempts": self.attempts,
            "error": self.error,
        }
