"""What the company use cases need, as protocols: the companies and users of one transaction,
and `emit` for the events. Postgres implements them (adapters/company_work.py); tests give
in-memory fakes (tests/test_directory_company_use_cases.py)."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from contacts_events.connect_id import ConnectId
from contacts_messaging.unit_of_work import EmitsEvents

from directory_service.domain.model import Company, ContactPoint, User


class Companies(Protocol):
    async def insert_company(self, company_id: UUID, name: str) -> None: ...

    async def get_company(self, company_id: UUID) -> Company | None: ...

    async def role_in(
        self, company_id: UUID, user_id: UUID, *, for_update: bool = False
    ) -> str | None:
        """The user's role in the company, or None (with `for_update`, the membership locked)."""

    async def insert_member(self, company_id: UUID, user_id: UUID, role: str) -> bool:
        """False when the user already belongs to a company (any company)."""

    async def remove_member(self, company_id: UUID, user_id: UUID) -> bool: ...

    async def count_admins(self, company_id: UUID) -> int: ...

    async def insert_contact_point(
        self, point_id: UUID, company_id: UUID, connect_id: ConnectId, name: str
    ) -> None: ...

    async def contact_points(
        self, company_id: UUID, after: tuple[str, UUID] | None, limit: int
    ) -> list[ContactPoint]:
        """At most `limit` of the company's contact points by name, after `after`."""

    async def remove_contact_point(self, company_id: UUID, point_id: UUID) -> bool: ...


class Users(Protocol):
    async def get_user(self, user_id: UUID, *, for_update: bool = False) -> User | None: ...

    async def allocate_connect_id(self, kind: str, owner_id: UUID) -> ConnectId: ...


class CompaniesWork(EmitsEvents, Protocol):
    companies: Companies
    users: Users
