"""handlers/ports.py in memory, for the importer's use cases alone (no Postgres, no Kafka):
imports and their rows, each owner's matching quota, the owners' numbers, stored files, and
the pipeline's side of a start (the chunks it would queue, the imports it would complete), and
the invitation requests of "Invite contact"."""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO
from uuid import UUID

from contacts_servicekit.domain_errors import LimitReached
from contacts_testing.unit_of_work import FakeUnitOfWork
from importer_service.adapters.file_jobs import TableSummary
from importer_service.adapters.sources.sniff import FileFormat
from importer_service.domain.model import Import, NewImport
from importer_service.handlers.ports import ReadyRow

CHUNK_ROWS = 10


class FakeImportsWork(FakeUnitOfWork):
    def __init__(self, quota: int = 1000) -> None:
        super().__init__()
        self.stored: dict[UUID, Import] = {}
        self.rows: dict[UUID, list[tuple[Any, ...]]] = {}
        self.locked: set[UUID] = set()
        self.quota_left: dict[UUID, int] = {}  # per owner; `quota` for one never seen
        self.default_quota = quota
        self.phones: dict[UUID, str] = {}
        self.files = FakeFiles()
        self.queued: dict[UUID, int] = {}  # chunks queued per import
        self.completed: list[UUID] = []
        self.transactions = 0
        self.ready_rows: dict[UUID, list[ReadyRow]] = {}  # per import, ready to invite
        self.requests: dict[tuple[UUID, str], UUID] = {}  # (inviter, number) -> request id
        self.refused_rows: dict[UUID, set[int]] = {}  # per import, rows whose invite was refused
        self.imports = self.quota = self.owners = self.validation = self.invitations = self

    def quota_of(self, owner_id: UUID) -> int:
        return self.quota_left.get(owner_id, self.default_quota)

    # Imports
    async def get(self, import_id: UUID, *, for_update: bool = False) -> Import | None:
        if for_update and import_id in self.stored:
            self.locked.add(import_id)
        return self.stored.get(import_id)

    async def create(self, new: NewImport) -> None:
        created = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(seconds=len(self.stored))
        self.stored[new.import_id] = Import(
            **{k: v for k, v in asdict(new).items() if k != "replaces"}, error=None,
            chunk_count=None, parsed_chunks=0, emitted_chunks=0, counts=None, rows_parsed=0,
            rows_done=0, invitations=None, created_at=created, completed_at=None,
            finished_at=None, rows_purged_at=None,
        )  # fmt: skip

    async def save(self, job: Import) -> Import:
        saved = replace(job, unsaved=frozenset())
        self.stored[job.import_id] = saved
        return saved

    async def insert_rows(self, import_id: UUID, rows: Sequence[tuple[Any, ...]]) -> None:
        self.rows.setdefault(import_id, []).extend(rows)

    async def forget_rows(self, import_id: UUID) -> None:
        self.rows.pop(import_id, None)

    async def list_for_owner(
        self, owner_id: UUID, limit: int, before: tuple[datetime, UUID] | None
    ) -> list[Import]:
        mine = sorted((j for j in self.stored.values() if j.owner_id == owner_id),
                      key=lambda j: (j.created_at, j.import_id), reverse=True)  # fmt: skip
        return [j for j in mine if before is None or (j.created_at, j.import_id) < before][:limit]

    # Quota
    async def spend(self, owner_id: UUID, rows: int) -> None:
        await self.check(owner_id, rows)
        self.quota_left[owner_id] = self.quota_of(owner_id) - rows

    async def check(self, owner_id: UUID, rows: int) -> None:
        if rows > self.quota_of(owner_id):
            raise LimitReached("rate_limited", "Over the matching quota.", 60)

    # Owners
    async def phone(self, owner_id: UUID) -> str | None:
        return self.phones.get(owner_id)

    # InvitationRequests
    async def ready(self, import_id: UUID, rows: Sequence[int] | None) -> list[ReadyRow]:
        found = self.ready_rows.get(import_id, [])
        return [r for r in found if rows is None or r.row_number in rows]

    async def record(
        self, inviter_id: UUID, import_id: UUID, asked: Sequence[tuple[UUID, ReadyRow]]
    ) -> set[UUID]:
        recorded = set()
        for request_id, row in asked:
            if (inviter_id, row.phone_e164) not in self.requests:
                self.requests[inviter_id, row.phone_e164] = request_id
                recorded.add(request_id)
        return recorded

    async def forget_refusals(self, import_id: UUID, row_numbers: Sequence[int]) -> None:
        self.refused_rows.get(import_id, set()).difference_update(row_numbers)

    # Transactions: every unit of work is this one (a fake has nothing to roll back)
    @asynccontextmanager
    async def begin(self) -> AsyncIterator[FakeImportsWork]:
        self.transactions += 1
        yield self

    # Validation
    async def queue_first_chunks(self, job: Import) -> tuple[int, int]:
        self.queued[job.import_id] = math.ceil((job.total_rows or 0) / CHUNK_ROWS)
        return self.queued[job.import_id], CHUNK_ROWS

    async def complete(self, job: Import) -> None:
        await self.save(job.completed({}, datetime(2026, 3, 1, tzinfo=UTC)))
        self.completed.append(job.import_id)


class FakeFiles:
    """Stored files (their own object: `save` and `delete` mean other things for imports)."""

    def __init__(self) -> None:
        self.stored: dict[UUID, bytes] = {}

    async def save(self, import_id: UUID, source: BinaryIO) -> None:
        self.stored[import_id] = source.read()

    async def copy_to(self, import_id: UUID, path: Path) -> None:
        await asyncio.to_thread(path.write_bytes, self.stored[import_id])

    async def delete(self, import_id: UUID) -> None:
        self.stored.pop(import_id, None)


class FakeReader:
    """Reads every file as `table` says (the sheet asked for, if any), noting what it read."""

    def __init__(self, table: TableSummary) -> None:
        self.table = table
        self.read: list[tuple[bytes, FileFormat, str | None, str | None]] = []

    async def inspect(
        self, path: Path, fmt: FileFormat, sheet: str | None = None, encoding: str | None = None
    ) -> TableSummary:
        self.read.append((await asyncio.to_thread(path.read_bytes), fmt, sheet, encoding))
        return replace(self.table, sheet=sheet or self.table.sheet)
