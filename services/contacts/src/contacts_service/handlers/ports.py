"""What the contacts use cases need from the world, as protocols: a unit of work holding the
repositories bound to one transaction, and `emit` for the events. Postgres implements them
(adapters/unit_of_work.py); tests give in-memory fakes (tests/fake_work.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple, Protocol
from uuid import UUID

from contacts_messaging.unit_of_work import EmitsEvents

from contacts_service.domain.model import Contact, Cursor, ListName


class KnownUser(NamedTuple):
    """An active user of the contacts service's copy of the directory."""

    user_id: UUID
    display_name: str


class PersonalContacts(Protocol):
    async def insert(self, owner_id: UUID, contact_user_id: UUID, source: str) -> Contact | None:
        """Add; the contact as the detail view shows it, or None when the owner already has
        this contact (nothing changes)."""

    async def lock(self, owner_id: UUID, contact_user_id: UUID) -> Contact | None:
        """Lock the personal contact for the transaction; it as the detail view shows it, or
        None when it is not a personal contact of the owner."""

    async def set_archived(self, owner_id: UUID, contact_user_id: UUID, archived: bool) -> None: ...


class ContactViews(Protocol):
    async def one(self, owner_id: UUID, contact_id: UUID) -> Contact | None:
        """The owner's contact as the detail view shows it (personal first), or None."""

    async def page_and_total(
        self, owner_id: UUID, which: ListName, name_range: tuple[str, str] | None,
        after: Cursor | None, limit: int,
    ) -> tuple[list[Contact], int]:  # fmt: skip
        """Up to `limit` contacts of the list after `after`, and the list's (search's) size."""


class DirectoryCopy(Protocol):
    async def user_by_connect_id(self, connect_id: str) -> KnownUser | None: ...

    async def is_contact_point(self, connect_id: str) -> bool: ...


class Accounts(Protocol):
    async def hold_open(self, user_ids: Iterable[UUID]) -> set[UUID]:
        """Hold the accounts open until the transaction ends; return those already closed."""


class ContactsWork(EmitsEvents, Protocol):
    contacts: PersonalContacts
    views: ContactViews
    directory: DirectoryCopy
    accounts: Accounts
