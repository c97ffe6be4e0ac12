"""The importer's internal work items: how an import's rows are spread over its workers.

They travel on `importer.work` through the outbox like any event (so queuing work commits
with the state that calls for it) and are consumed by the `importer.workers` group: every
importer instance takes a share of the topic's partitions, so a second instance validates a
large import faster. Chunks are keyed by import and first row, which spreads one import's
chunks over all partitions. Internal: not part of the published event catalogue.
"""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from contacts_events.base import IntegrationEvent
from contacts_events.registry import EventRegistry

WORK_TOPIC = "importer.work"
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

    def partition_key(self) -> str:
        return f"{self.import_id}:{self.first_row}"


@work_items.register
class ParseChunk(ChunkItem):
    """Parse and validate the phone numbers of rows first_row..last_row."""

    name: ClassVar[str] = "ImportParseChunk"


@work_items.register
class EmitChunk(ChunkItem):
    """Give rows first_row..last_row their final status and publish ImportRowValidated."""

    name: ClassVar[str] = "ImportEmitChunk"


def chunks(first_row: int, last_row: int, size: int) -> list[tuple[int, int]]:
    """[(first, last), ...] covering first_row..last_row inclusive, `size` rows each."""
    return [
        (start, min(start + size - 1, last_row)) for start in range(first_row, last_row + 1, size)
    ]
