"""handlers/ports.py's `Imports` on one connection (the imports and their rows), shared by the
units of work (unit_of_work.py, invitation_requests.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from importer_service.adapters import import_rows_repository, imports_repository
from importer_service.domain.model import Import, NewImport


class PostgresImports:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def get(self, import_id: UUID, *, for_update: bool = False) -> Import | None:
        return await imports_repository.get(self.conn, import_id, for_update=for_update)

    async def create(self, new: NewImport) -> None:
        await imports_repository.create(self.conn, new)

    async def save(self, job: Import) -> Import:
        return await imports_repository.save(self.conn, job)

    async def insert_rows(self, import_id: UUID, rows: Sequence[tuple[Any, ...]]) -> None:
        await import_rows_repository.insert_rows(self.conn, import_id, rows)

    async def forget_rows(self, import_id: UUID) -> None:
        for table in ("import_row_statuses", "import_rows"):
            await self.conn.execute(f"DELETE FROM {table} WHERE import_id = $1", import_id)

    async def list_for_owner(
        self, owner_id: UUID, limit: int, before: tuple[datetime, UUID] | None
    ) -> list[Import]:
        return await imports_repository.list_for_owner(self.conn, owner_id, limit, before)
