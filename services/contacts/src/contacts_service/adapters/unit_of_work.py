"""The contacts use cases' unit of work on Postgres: the repositories of handlers/ports.py
bound to one connection (in a transaction for changes)."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

import asyncpg
from contacts_messaging.accounts import store as closed_accounts
from contacts_messaging.unit_of_work import UnitOfWork

from contacts_service.adapters import contacts_repository, listing, projection
from contacts_service.domain.model import Contact, Cursor, ListName
from contacts_service.handlers.ports import (
    Accounts,
    ContactViews,
    DirectoryCopy,
    KnownUser,
    PersonalContacts,
)


class _Bound:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn


class _PersonalContacts(_Bound):
    async def insert(self, owner_id: UUID, contact_user_id: UUID, source: str) -> Contact | None:
        return await contacts_repository.insert_as_contact(
            self.conn, owner_id, contact_user_id, source
        )

    async def lock(self, owner_id: UUID, contact_user_id: UUID) -> Contact | None:
        return await contacts_repository.lock(self.conn, owner_id, contact_user_id)

    async def set_archived(self, owner_id: UUID, contact_user_id: UUID, archived: bool) -> None:
        await contacts_repository.set_archived(self.conn, owner_id, contact_user_id, archived)


class _ContactViews(_Bound):
    async def one(self, owner_id: UUID, contact_id: UUID) -> Contact | None:
        return await listing.one(self.conn, owner_id, contact_id)

    async def page_and_total(
        self, owner_id: UUID, which: ListName, name_range: tuple[str, str] | None,
        after: Cursor | None, limit: int,
    ) -> tuple[list[Contact], int]:  # fmt: skip
        return await listing.page_and_total(self.conn, owner_id, which, name_range, after, limit)


class _DirectoryCopy(_Bound):
    async def user_by_connect_id(self, connect_id: str) -> KnownUser | None:
        found = await projection.find_user_by_connect_id(self.conn, connect_id)
        return KnownUser(found["user_id"], found["display_name"]) if found else None

    async def is_contact_point(self, connect_id: str) -> bool:
        return await projection.is_contact_point(self.conn, connect_id)


class _Accounts(_Bound):
    async def hold_open(self, user_ids: Iterable[UUID]) -> set[UUID]:
        return await closed_accounts.hold_open(self.conn, user_ids)


class PostgresContactsWork(UnitOfWork):
    def __init__(self, conn: asyncpg.Connection) -> None:
        super().__init__(conn)
        self.contacts: PersonalContacts = _PersonalContacts(conn)
        self.views: ContactViews = _ContactViews(conn)
        self.directory: DirectoryCopy = _DirectoryCopy(conn)
        self.accounts: Accounts = _Accounts(conn)
