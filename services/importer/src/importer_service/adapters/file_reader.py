"""Reading uploaded files in worker processes (file_jobs, run by worker_process), as the
service sees it: a summary of a file, or its rows in batches, or the reason it is refused."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing
from pathlib import Path
from typing import Any

from importer_service.adapters.file_jobs import Inspect, ReadRows, Refusal, SheetInfo, TableSummary
from importer_service.adapters.sources.errors import UnsupportedFile
from importer_service.adapters.sources.limits import SourceLimits
from importer_service.adapters.sources.mapping import ColumnMapping
from importer_service.adapters.sources.sniff import FileFormat
from importer_service.adapters.sources.stored_rows import StoredRow
from importer_service.adapters.worker_process import WorkerExhausted, WorkerLimits, WorkerPool

__all__ = ["FileReader", "FileTooComplex", "Inspect", "SheetInfo", "TableSummary"]

JOB = "importer_service.adapters.file_jobs:read_file"


class FileTooComplex(UnsupportedFile):
    """The worker reading the file ran out of memory or time."""

    def __init__(self, exhausted: WorkerExhausted, limits: WorkerLimits) -> None:
        needed = (
            f"more than the {limits.seconds:,} s"
            if exhausted.resource == "time"
            else f"more than the {limits.memory_mb:,} MB of memory"
        )
        super().__init__(
            "file_too_complex",
            f"Reading this file needed {needed} the importer gives one file, so it was "
            "stopped; nothing was imported. Remove what the list does not need (other sheets, "
            "formatting, empty rows and columns around it) or split it into smaller files.",
        )


class FileReader:
    """Reads files within `limits` (their contents) on at most `workers` processes at once,
    each within `worker_limits` (memory and time)."""

    def __init__(self, limits: SourceLimits, worker_limits: WorkerLimits, workers: int) -> None:
        self.limits = limits
        self.pool = WorkerPool(
            JOB, worker_limits, workers, allowed=(TableSummary, SheetInfo, Refusal)
        )

    async def start(self) -> None:
        """Start a worker ahead of the first file."""
        await self.pool.start()

    async def inspect(
        self, path: Path, fmt: FileFormat, sheet: str | None = None, encoding: str | None = None
    ) -> TableSummary:
        """The file's sheets, headers and first rows (see `Inspect`); UnsupportedFile when it
        is refused."""
        request = Inspect(path, fmt, self.limits, sheet, encoding)
        items = [item async for item in self._items(request)]
        if len(items) != 1 or not isinstance(items[0], TableSummary):
            raise RuntimeError(f"the file-reading worker gave {items!r}, not a summary")
        return items[0]

    def rows(
        self, path: Path, fmt: FileFormat, sheet: str | None, mapping: ColumnMapping,
        encoding: str | None = None,
    ) -> AsyncGenerator[list[StoredRow], None]:  # fmt: skip
        """The rows to store, in batches; UnsupportedFile when the file is refused, which may
        be after some batches (a fault found deep in the file). Close it (contextlib.aclosing)
        so that its worker ends at once should the caller stop early."""
        return self._items(ReadRows(path, fmt, self.limits, sheet, mapping, encoding))

    async def _items(self, request: Inspect | ReadRows) -> AsyncGenerator[Any, None]:
        try:
            async with aclosing(self.pool.run(request)) as items:
                async for item in items:
                    if isinstance(item, Refusal):
                        raise UnsupportedFile(item.code, item.message)
                    yield item
        except WorkerExhausted as exhausted:
            raise FileTooComplex(exhausted, self.pool.limits) from None

    def close(self) -> None:
        self.pool.close()
