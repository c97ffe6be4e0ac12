"""The company and membership-offer use cases' unit of work on Postgres: handlers/company_ports.py bound to one
connection (in a transaction for changes)."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

import asyncpg
from contacts_events.connect_id import ConnectId
from contacts_messaging.unit_of_work import UnitOfWork

from directory_service.adapters import companies_repository as companies
from directory_service.adapters import membership_offers_repository as offers
from directory_service.adapters import users_repository as users
from directory_service.domain.membership_offer import MembershipOffer, OfferStatus
from directory_service.domain.model import Company, ContactPoint, User
from directory_service.handlers.company_ports import Companies, MembershipOffers, Users


class PostgresCompanies:
    """The companies and memberships of one connection."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def insert_company(self, company_id: UUID, name: str) -> None:
        await companies.insert_company(self.conn, company_id, name)

    async def get_company(self, company_id: UUID) -> Company | None:
        return await companies.get_company(self.conn, company_id)

    async def role_in(
        self, company_id: UUID, user_id: UUID, *, for_update: bool = False
    ) -> str | None:
        return await companies.role_in(self.conn, company_id, user_id, for_update=for_update)

    async def insert_member(self, company_id: UUID, user_id: UUID, role: str) -> bool:
        return await companies.insert_member(self.conn, company_id, user_id, role)

    async def remove_member(self, company_id: UUID, user_id: UUID) -> bool:
        return await companies.remove_member(self.conn, company_id, user_id)

    async def count_admins(self, company_id: UUID) -> int:
        return await companies.count_admins(self.conn, company_id)

    async def leave_company(self, user_id: UUID) -> UUID | None:
        return await companies.leave_company(self.conn, user_id)

    async def insert_contact_point(
        self, point_id: UUID, company_id: UUID, connect_id: ConnectId, name: str
    ) -> None:
        await companies.insert_contact_point(self.conn, point_id, company_id, connect_id, name)

    async def contact_points(
        self, company_id: UUID, after: tuple[str, UUID] | None, limit: int
    ) -> list[ContactPoint]:
        return await companies.contact_points(self.conn, company_id, after, limit)

    async def remove_contact_point(self, company_id: UUID, point_id: UUID) -> bool:
        return await companies.remove_contact_point(self.conn, company_id, point_id)


class PostgresUsers:
    """The users and ConnectIDs of one connection."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def get_user(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        return await users.get_user(self.conn, user_id, for_update=for_update)

    async def allocate_connect_id(self, kind: str, owner_id: UUID) -> ConnectId:
        return await users.allocate_connect_id(self.conn, kind, owner_id)


class _MembershipOffers:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def offer(
        self, offer_id: UUID, company_id: UUID, user_id: UUID, role: str, offered_by: UUID,
        lifetime: timedelta,
    ) -> tuple[MembershipOffer, bool]:  # fmt: skip
        return await offers.offer(
            self.conn, offer_id, company_id, user_id, role, offered_by, lifetime
        )

    async def pending_for(
        self, user_id: UUID, after: tuple[datetime, UUID] | None, limit: int
    ) -> list[MembershipOffer]:
        return await offers.pending_for(self.conn, user_id, after, limit)

    async def users_offer(self, offer_id: UUID, user_id: UUID) -> MembershipOffer | None:
        return await offers.users_offer(self.conn, offer_id, user_id)

    async def companys_offer(self, offer_id: UUID, company_id: UUID) -> MembershipOffer | None:
        return await offers.companys_offer(self.conn, offer_id, company_id)

    async def close(self, offer_id: UUID, status: OfferStatus) -> None:
        await offers.close(self.conn, offer_id, status)


class PostgresCompaniesWork(UnitOfWork):
    def __init__(self, conn: asyncpg.Connection) -> None:
        super().__init__(conn)
        self.companies: Companies = PostgresCompanies(conn)
        self.users: Users = PostgresUsers(conn)
        self.offers: MembershipOffers = _MembershipOffers(conn)
