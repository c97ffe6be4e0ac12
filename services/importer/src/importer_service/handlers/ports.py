"""What the use cases of the person importing (paste, upload, columns, start, read, list,
"Invite contact") need
from the world, as protocols: a unit of work holding the repositories bound to one
transaction, and `emit` for the events. Postgres implements them (adapters/unit_of_work.py);
tests give an in-memory fake (tests/fake_work.py)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, Protocol
from uuid import UUID

from contacts_messaging.unit_of_work import EmitsEvents

from importer_service.adapters.file_jobs import TableSummary
from importer_service.adapters.sources.sniff import FileFormat
from importer_service.domain.model import Import, NewImport


class Imports(Protocol):
    async def get(self, import_id: UUID, *, for_update: bool = False) -> Import | None: ...

    async def create(self, new: NewImport) -> None: ...

    async def save(self, job: Import) -> Import:
        """Write the import's unsaved changes; the import with none left."""

    async def insert_rows(self, import_id: UUID, rows: Sequence[tuple[Any, ...]]) -> None:
        """Add rows (`import_rows_repository.ROW_FIELDS` order) to the import."""

    async def forget_rows(self, import_id: UUID) -> None:
        """Delete the rows read from its file (they are to be read again)."""

    async def list_for_owner(
        self, owner_id: UUID, limit: int, before: tuple[datetime, UUID] | None
    ) -> list[Import]:
        """The owner's imports, newest first, from just after `before` (created_at, id)."""


class Quota(Protocol):
    """The owner's matching quota (adapters/match_quota.py): LimitReached over it."""

    async def spend(self, owner_id: UUID, rows: int) -> None: ...

    async def check(self, owner_id: UUID, rows: int) -> None:
        """Whether `rows` could be spent now, spending nothing."""


class Files(Protocol):
    """Uploaded files, stored until the import no longer reads them (adapters/file_store.py)."""

    async def save(self, import_id: UUID, source: BinaryIO) -> None: ...

    async def copy_to(self, import_id: UUID, path: Path) -> None: ...

    async def delete(self, import_id: UUID) -> None: ...


class Owners(Protocol):
    async def phone(self, owner_id: UUID) -> str | None:
        """The owner's own number (E.164), when the importer knows it."""


class Validation(Protocol):
    """The pipeline's side of a start (handlers/chunk_window.py, completion.py)."""

    async def queue_first_chunks(self, job: Import) -> tuple[int, int]:
        """Queue the first parse chunks of the import; how many chunks it has in all, and how
        many rows each."""

    async def complete(self, job: Import) -> None:
        """Complete a validating import (one with no rows has no chunk to do it)."""


class Reader(Protocol):
    """Reads a file in a worker process (adapters/file_reader.py); UnsupportedFile when the
    file is refused."""

    async def inspect(
        self, path: Path, fmt: FileFormat, sheet: str | None = None, encoding: str | None = None
    ) -> TableSummary:
        """The file's sheets, headers and first rows."""


@dataclass(frozen=True)
class ReadyRow:
    """A row ready to be invited: its number and the name the message greets."""

    row_number: int
    phone_e164: str
    name: str | None


class InvitationRequests(Protocol):
    """ "Invite contact": the requests an owner made of an import's rows (each number once)."""

    async def ready(self, import_id: UUID, rows: Sequence[int] | None) -> list[ReadyRow]:
        """The import's rows ready to invite (all, or those of `rows`), in row order."""

    async def record(
        self, inviter_id: UUID, import_id: UUID, asked: Sequence[tuple[UUID, ReadyRow]]
    ) -> set[UUID]:
        """Record each (request id, row); the ids recorded now (a number the inviter asked to
        invite before, from any import, is skipped)."""

    async def forget_refusals(self, import_id: UUID, row_numbers: Sequence[int]) -> None:
        """Forget the earlier refusals of these rows: they are asked again."""


class InvitingWork(EmitsEvents, Protocol):
    imports: Imports
    invitations: InvitationRequests


class ImportsWork(EmitsEvents, Protocol):
    imports: Imports
    quota: Quota
    owners: Owners
    files: Files
    validation: Validation


class Transactions(Protocol):
    def begin(self) -> AbstractAsyncContextManager[ImportsWork]:
        """A unit of work in a transaction of its own: committed with the events emitted in
        it when the block ends, rolled back on an error."""
