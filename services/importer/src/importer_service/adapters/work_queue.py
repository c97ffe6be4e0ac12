"""The importer's internal work items: how an import's rows are spread over its workers.

They travel on `importer.work` through the outbox like any event (so queuing work commits
with the state that calls for it) and are consumed by the `importer.workers` group: every
importer instance takes a share of the topic's partitions, so a second instance validates a
large import faster. An import's chunks take the partitions in turn (spread_keys). Internal: not part of the published event catalogue.

Small imports (at most `Chunking.express_rows` rows: a paste, a short list) travel on their own
topic, `importer.express.work`, read by the group `importer.express` in every instance beside
`importer.workers`: their few steps never queue behind a large import's chunks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from aiokafka.partitioner import murmur2
from contacts_events.base import IntegrationEvent
from contacts_events.registry import EventRegistry

WORK_TOPIC = "importer.work"
EXPRESS_TOPIC = "importer.express.work"  # ends in .work: the work family's topic settings
SMALLEST_CHUNK_ROWS = 10_000
"""A mid-sized import's chunks are never smaller: each step has fixed costs (its transaction,
its inbox row, its hand-over to a chunk worker, its place in the window), which a 2,084-row
chunk (a 100,000-row list cut for 24 partitions) paid 48 times a pass: 0.61-0.63 x the raw
phone rate where 5,000-6,250-row chunks gave 0.72-0.88, and once the service decoded no rows,
10 chunks of 10,000 rows 1.06-1.16 where 20 of 5,000 gave 0.96-1.08 (bench/IMPORTER.md, 7
Dec)."""
EARLIER_SMALLEST_CHUNK_ROWS = 1_000  # the rule of the imports started before `chunk_rows`
EXPRESS_ROWS = 1_000
work_items = EventRegistry()
express_items = EventRegistry()  # the same steps under the same names, on EXPRESS_TOPIC


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
    # chunks of the pass in flight at once (handlers/chunk_window.py); None: every chunk of
    # the pass was queued at its start (items queued before windows existed)
    window: int | None = None

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


@express_items.register
class ExpressExtractRows(ExtractRows):
    """ExtractRows of a small file, on the express lane."""

    topic: ClassVar[str] = EXPRESS_TOPIC


@express_items.register
class ExpressParseChunk(ParseChunk):
    """ParseChunk of a small import, on the express lane."""

    topic: ClassVar[str] = EXPRESS_TOPIC


@express_items.register
class ExpressEmitChunk(EmitChunk):
    """EmitChunk of a small import, on the express lane."""

    topic: ClassVar[str] = EXPRESS_TOPIC


@dataclass(frozen=True)
class Lane:
    """The work item types of an import's steps: on `importer.work`, or on the express topic."""

    extract: type[ExtractRows]
    parse: type[ParseChunk]
    emit: type[EmitChunk]


MAIN_LANE = Lane(ExtractRows, ParseChunk, EmitChunk)
EXPRESS_LANE = Lane(ExpressExtractRows, ExpressParseChunk, ExpressEmitChunk)


@dataclass(frozen=True)
class Chunking:
    """How an import is cut: `rows` per work item (at most), spread over `partitions`, the
    work topic's partition count (KAFKA_TOPIC_WORK_PARTITIONS). At most `window` of an
    import's work items wait on the topic at once (IMPORT_CHUNKS_IN_FLIGHT), the next one
    queued as one finishes, so that imports queued later share the workers instead of waiting
    behind all of its chunks; imports of at most `express_rows` rows (IMPORT_EXPRESS_ROWS)
    take the express lane."""

    rows: int
    partitions: int
    window: int = 24
    express_rows: int = EXPRESS_ROWS

    def lane(self, total_rows: int | None) -> Lane:
        """The lane of an import of `total_rows` rows (a file's: counted at upload)."""
        return EXPRESS_LANE if (total_rows or 0) <= self.express_rows else MAIN_LANE


def chunk_rows(rows: int, chunking: Chunking, smallest: int = SMALLEST_CHUNK_ROWS) -> int:
    """Rows per chunk of an import of `rows` rows: `chunking.rows`, or fewer when that gives
    every partition of the work topic at least two chunks (never under `smallest`), so that
    every instance gets a fair share of a mid-sized import."""
    wanted = -(-rows // (2 * chunking.partitions))
    return max(1, min(chunking.rows, max(smallest, wanted)))


def chunks(first_row: int, last_row: int, size: int) -> list[tuple[int, int]]:
    """[(first, last), ...] covering first_row..last_row inclusive, `size` rows each."""
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
