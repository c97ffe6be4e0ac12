"""An import's progress as it changes, for the live stream (`GET /v1/imports/{id}/progress`).

Read from Postgres every `poll_seconds` (one primary-key read): the chunks' own transactions
keep the rows done and the counts so far on the import, so whichever importer instance runs
them, any instance can tell. Nothing is kept in memory between two reads but the last one.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg

from importer_service.adapters import imports_repository as imports
from importer_service.domain.model import Import, ImportStatus

FINAL = frozenset({ImportStatus.COMPLETED, ImportStatus.FAILED, ImportStatus.REPLACED})


@dataclass(frozen=True)
class Progress:
    state: ImportStatus
    total_rows: int | None
    rows_parsed: int
    rows_done: int
    progress: float
    counts: dict[str, int] | None
    error: dict[str, Any] | None

    @classmethod
    def of(cls, job: Import) -> Progress:
        return cls(
            job.status, job.total_rows, job.rows_parsed, job.rows_done, round(job.progress, 4),
            job.counts, job.error,
        )  # fmt: skip

    @property
    def final(self) -> bool:
        return self.state in FINAL


async def changes(
    pool: asyncpg.Pool, import_id: uuid.UUID, poll_seconds: float
) -> AsyncIterator[Progress]:
    """The import's progress now, then each time it changes, until it is final (completed,
    failed or replaced: the last one yielded). A connection is held only while reading."""
    last: Progress | None = None
    while True:
        async with pool.acquire() as conn:
            job = await imports.get(conn, import_id)
        if job is None:
            return
        now = Progress.of(job)
        if now != last:
            yield now
            last = now
        if now.final:
            return
        await asyncio.sleep(poll_seconds)
