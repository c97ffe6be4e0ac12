"""What the company and membership-offer use cases need, as protocols: the companies, users
and offers of one transaction, and `emit` for the events. Postgres implements them (adapters/company_work.py); tests give
in-memory fakes (tests/test_directory_company_use_cases.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from contacts_events.connect_id import ConnectId
from contacts_messaging.unit_of_work import EmitsEvents

from directory_service.domain.membership_offer import MembershipOffer, OfferStatus
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


class MembershipOffers(Protocol):
    async def offer(
        self, offer_id: UUID, company_id: UUID, user_id: UUID, role: str, offered_by: UUID,
        lifetime: timedelta,
    ) -> tuple[MembershipOffer, bool]:  # fmt: skip
        """The company's pending offer to the user: a new one with `offer_id` (True), or the
        one already pending (False)."""

    async def pending_for(
        self, user_id: UUID, after: tuple[datetime, UUID] | None, limit: int
    ) -> list[MembershipOffer]: ...

    async def users_offer(self, offer_id: UUID, user_id: UUID) -> MembershipOffer | None:
        """The offer if it is addressed to the user, locked until the transaction ends."""

    async def companys_offer(self, offer_id: UUID, company_id: UUID) -> MembershipOffer | None:
        """The offer if the company made it, locked until the transaction ends."""

    async def close(self, offer_id: UUID, status: OfferStatus) -> None: ...


class CompaniesWork(EmitsEvents, Protocol):
    companies: Companies
    users: Users
    offers: MembershipOffers
