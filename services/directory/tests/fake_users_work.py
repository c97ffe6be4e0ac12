"""handlers/user_ports.py in memory: the users, sign-in, session and verification use cases'
unit of work with no Postgres. Its state is one `State`
(fake_users_state.py), copied when a transaction opens and
put back when it fails, so a test sees what a rollback keeps (a code's attempt taken before
the transaction) and what it undoes (the code consumed in it)."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from uuid import UUID

from contacts_events.connect_id import ConnectId, generate
from contacts_servicekit.domain_errors import Conflicting
from contacts_testing.unit_of_work import FakeUnitOfWork
from directory_service.domain.credentials import SessionRules
from directory_service.domain.model import Company, User

from .fake_identity_stores import FakeIdentityStores
from .fake_users_state import NOW, State


class FakeUsersWork(FakeIdentityStores, FakeUnitOfWork):
    def __init__(self, rules: SessionRules | None = None) -> None:
        super().__init__()
        self.state = State()
        self.rules = rules or SessionRules()
        self.lifetime_seconds = int(self.rules.access_lifetime.total_seconds())
        self.in_transaction = False
        self.actor: UUID | None = None  # of the last transaction's events
        self.buckets: dict[tuple[str, str], int] = {}  # (action, subject) -> tokens taken
        self.users = self.companies = self.sessions = self.closures = self
        self.codes = self.limits = self.tokens = self

    # setting the scene

    def person(self, phone: str = "+447400000001", email: str | None = None) -> UUID:
        user_id = UUID(int=len(self.state.people) + 1)
        self.state.people[user_id] = User(
            user_id, generate(), "Ada", phone, email, "active", None, None, NOW
        )
        return user_id

    def company(self, name: str = "Acme") -> UUID:
        company_id = UUID(int=1000 + len(self.state.companies))
        self.state.companies[company_id] = name
        return company_id

    # the unit of work

    @asynccontextmanager
    async def transaction(self, actor: UUID | None = None) -> AsyncIterator[None]:
        assert not self.in_transaction, "transactions do not nest here"
        before, emitted = copy.deepcopy(self.state), len(self.events)
        self.in_transaction, self.actor = True, actor
        try:
            yield
        except BaseException:
            self.state, self.events = before, self.events[:emitted]
            raise
        finally:
            self.in_transaction = False

    # Accounts

    async def get_user(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        user = self.state.people.get(user_id)
        company, role = self.state.roles.get(user_id, (None, None))
        return replace(user, company_id=company, company_role=role) if user else None

    async def allocate_connect_id(self, kind: str, owner_id: UUID) -> ConnectId:
        return generate()

    async def insert_user(
        self, user_id: UUID, connect_id: ConnectId, display_name: str, phone_e164: str,
        email: str | None,
    ) -> None:  # fmt: skip
        self._refuse_taken(user_id, {"phone_e164": phone_e164, "email": email})
        self.state.people[user_id] = User(
            user_id, connect_id, display_name, phone_e164, email, "active", None, None, NOW
        )

    async def update_user(self, user_id: UUID, changes: dict[str, str | None]) -> None:
        self._refuse_taken(user_id, changes)
        self.state.people[user_id] = replace(self.state.people[user_id], **changes)  # type: ignore[arg-type]

    async def active_by_phone(self, phone_e164: str) -> User | None:
        for user in self.state.people.values():
            if user.phone_e164 == phone_e164 and user.status == "active":
                return await self.get_user(user.user_id)
        return None

    async def deactivate(self, user_id: UUID) -> None:
        self.state.people[user_id] = replace(self.state.people[user_id], status="deactivated")

    def _refuse_taken(self, user_id: UUID, values: dict[str, str | None]) -> None:
        """The unique indexes on the active users' numbers and emails."""
        for column, value in values.items():
            held = any(
                getattr(u, column) == value and u.status == "active" and u.user_id != user_id
                for u in self.state.people.values()
            )
            if value is not None and column in ("phone_e164", "email") and held:
                name = "phone" if column == "phone_e164" else "email"
                raise Conflicting(f"{name}_taken", f"This {name} is taken.", name)

    # Memberships

    async def get_company(self, company_id: UUID) -> Company | None:
        name = self.state.companies.get(company_id)
        return Company(company_id, name) if name is not None else None

    async def insert_member(self, company_id: UUID, user_id: UUID, role: str) -> bool:
        if user_id in self.state.roles:
            return False
        self.state.roles[user_id] = (company_id, role)
        return True

    async def leave_company(self, user_id: UUID) -> UUID | None:
        company, _ = self.state.roles.pop(user_id, (None, None))
        return company

    # Closures

    async def erase_contact_details(self, user: User) -> None:
        self.state.erased.add(user.user_id)
        stored = self.state.people[user.user_id]
        self.state.people[user.user_id] = replace(stored, phone_e164="erased", email=None)
        self.state.codes = {
            key: code for key, code in self.state.codes.items()
            if key[2] != user.user_id and key[1] not in (user.phone_e164, user.email)
        }  # fmt: skip

    async def record_closed(self, user_id: UUID, reason: str) -> None:
        self.state.closed[user_id] = reason
