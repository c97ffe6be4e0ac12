"""The importer's internal work items: how an import's rows are spread over its workers.

They travel on `importer.work` through the outbox like any event (so queuing work commits
with the state that calls for it) and are consumed by the `importer.workers` group: every
importer instance takes a share of the topic's partitions, so a second instance validates a
large import faster. An import's chunks take the partitions in turn (spread_keys). Internal: not part of the published event catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from aiokafka.partitioner import murmur2
from contacts_events.base import IntegrationEvent
from contacts_events.registry import EventRegistry

WORK_TOPIC = "importer.work"
MIN_CHUNK_ROWS = 1000
work_items = EventRegistry()


class WorkItem(IntegrationEvent):
    topic: ClassVar[str] = WORK_TOPIC
    import_id: UUID

    def partition_key(self) -> str:
        return str(self.import_id)


@work_items.register
class ExtractRows(WorkItem):
    """Read the stored file with the confirmed mapping into rows (one worker, streaming)."""

    name: ClassVar[str] = "ImportExtractRows"


class ChunkItem(WorkItem):
    first_row: int
    last_row: int
    spread_key: str | None = None  # see spread_keys

    def partition_key(self) -> str:
        return self.spread_key or f"{self.import_id}:{self.first_row}"


@work_items.register
class ParseChunk(ChunkItem):
    """Parse and validate the phone numbers of rows first_row..last_row."""

    name: ClassVar[str] = "ImportParseChunk"


@work_items.register
class EmitChunk(ChunkItem):
    """Give rows first_row..last_row their final status and publish ImportRowValidated."""

    name: ClassVar[str] = "ImportEmitChunk"


@dataclass(frozen=True)
class Chunking:
    """How an import is cut: `rows` per work item (at most), spread over `partitions`, the
    work topic's partition count (KAFKA_TOPIC_WORK_PARTITIONS)."""

    rows: int
    partitions: int


def chunks(first_row: int, last_row: int, chunking: Chunking) -> list[tuple[int, int]]:
    """[(first, last), ...] covering first_row..last_row inclusive, `chunking.rows` rows each;
    smaller chunks when that gives every partition of the work topic at least two (never under
    MIN_CHUNK_ROWS rows), so that every instance gets a fair share of a mid-sized import."""
    rows = last_row - first_row + 1
    wanted = -(-rows // (2 * chunking.partitions))
    size = max(1, min(chunking.rows, max(MIN_CHUNK_ROWS, wanted)))
    return [
        (start, min(start + size - 1, last_row)) for start in range(first_row, last_row + 1, size)
    ]


def spread_keys(import_id: UUID, count: int, partitions: int) -> list[str]:
    """Keys for an import's `count` chunks that take the work topic's partitions in turn
    (Kafka's default partitioner: murmur2 of the key). Keys of their own would land at random,
    and a 10-chunk import could give one instance 7 chunks and the other 3."""
    by_partition: dict[int, str] = {}
    wanted = set(range(min(count, partitions)))
    salt = 0
    while not wanted <= by_partition.keys():
        key = f"{import_id}:{salt}"
        by_partition.setdefault((murmur2(key.encode()) & 0x7FFFFFFF) % partitions, key)
        salt += 1
    return [by_partition[i % partitions] for i in range(count)]
