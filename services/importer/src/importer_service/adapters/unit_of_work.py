"""The importer's unit of work on Postgres: the repositories of handlers/ports.py bound to one
connection in a transaction, the events emitted written to the outbox when it ends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from uuid import UUID

import asyncpg
from contacts_events import EventContext
from contacts_messaging.outbox import Outbox
from contacts_messaging.unit_of_work import UnitOfWork

from importer_service.adapters import file_store, projection
from importer_service.adapters.match_quota import MatchQuota
from importer_service.adapters.postgres_imports import PostgresImports
from importer_service.adapters.work_queue import Chunking
from importer_service.domain.model import Import
from importer_service.handlers import chunk_window, completion
from importer_service.handlers.ports import Files, Imports, Owners, Quota, Validation


class _Quota:
    def __init__(self, conn: asyncpg.Connection, quota: MatchQuota) -> None:
        self.conn, self.quota = conn, quota

    async def spend(self, owner_id: UUID, rows: int) -> None:
        await self.quota.spend(self.conn, owner_id, rows)

    async def check(self, owner_id: UUID, rows: int) -> None:
        await self.quota.check(self.conn, owner_id, rows)


class _Files:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def save(self, import_id: UUID, source: BinaryIO) -> None:
        await file_store.save(self.conn, import_id, source)

    async def copy_to(self, import_id: UUID, path: Path) -> None:
        await file_store.copy_to(self.conn, import_id, path)

    async def delete(self, import_id: UUID) -> None:
        await file_store.delete(self.conn, import_id)


class _Owners:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def phone(self, owner_id: UUID) -> str | None:
        return await projection.owner_phone(self.conn, owner_id)


class _Validation:
    """The pipeline's steps write to the outbox themselves: the events the use case emitted
    before go first, so the outbox keeps the order in which they happened."""

    def __init__(self, work: PostgresImportsWork, chunking: Chunking) -> None:
        self.work, self.chunking = work, chunking

    async def queue_first_chunks(self, job: Import) -> tuple[int, int]:
        work = self.work
        await work.write_emitted()
        parse = self.chunking.lane(job.total_rows).parse
        return await chunk_window.queue_first(
            work.conn, work.outbox, work.context, job, self.chunking, parse
        )

    async def complete(self, job: Import) -> None:
        await self.work.write_emitted()
        await completion.complete(self.work.conn, self.work.outbox, self.work.context, job)


class PostgresImportsWork(UnitOfWork):
    def __init__(
        self, conn: asyncpg.Connection, outbox: Outbox, context: EventContext,
        quota: MatchQuota, chunking: Chunking,
    ) -> None:  # fmt: skip
        super().__init__(conn)
        self.outbox, self.context = outbox, context
        self.imports: Imports = PostgresImports(conn)
        self.quota: Quota = _Quota(conn, quota)
        self.owners: Owners = _Owners(conn)
        self.files: Files = _Files(conn)
        self.validation: Validation = _Validation(self, chunking)

    async def write_emitted(self) -> None:
        """Write the events emitted so far to the outbox: when the use case returns (the
        caller's transaction then commits), and before a pipeline step writes its own."""
        await self.write_events(self.outbox, self.context)


@dataclass(frozen=True)
class PostgresTransactions:
    """Units of work on connections of `pool`, each in a transaction of its own."""

    pool: asyncpg.Pool
    outbox: Outbox
    context: EventContext
    quota: MatchQuota
    chunking: Chunking

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[PostgresImportsWork]:
        async with self.pool.acquire() as conn, conn.transaction():
            work = PostgresImportsWork(conn, self.outbox, self.context, self.quota, self.chunking)
            yield work
            await work.write_emitted()
