"""The users use cases' unit of work on Postgres: handlers/user_ports.py bound to one connection
(in a transaction: `contacts_messaging.api.unit_of_work`)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg
from contacts_events.connect_id import ConnectId
from contacts_messaging.accounts import store as closed_accounts
from contacts_messaging.unit_of_work import UnitOfWork

from directory_service.adapters import erasure
from directory_service.adapters import sessions_repository as sessions
from directory_service.adapters import users_repository as users
from directory_service.adapters.company_work import PostgresCompanies, PostgresUsers
from directory_service.domain.credentials import PresentedToken
from directory_service.domain.model import User
from directory_service.handlers.user_ports import Accounts, Closures, Memberships, Sessions


class PostgresAccounts(PostgresUsers):
    async def insert_user(
        self, user_id: UUID, connect_id: ConnectId, display_name: str, phone_e164: str,
        email: str | None,
    ) -> None:  # fmt: skip
        await users.insert_user(
            self.conn, user_id=user_id, connect_id=connect_id, display_name=display_name,
            phone_e164=phone_e164, email=email,
        )  # fmt: skip

    async def update_user(self, user_id: UUID, changes: dict[str, str | None]) -> None:
        await users.update_user(self.conn, user_id, **changes)

    async def active_by_phone(self, phone_e164: str) -> User | None:
        return await users.active_by_phone(self.conn, phone_e164)

    async def deactivate(self, user_id: UUID) -> None:
        await users.deactivate(self.conn, user_id)


class PostgresSessions:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def open_session(self, session_id: UUID, user_id: UUID, expires_at: datetime) -> None:
        await sessions.open_session(self.conn, session_id, user_id, expires_at)

    async def add_refresh_token(
        self, token_hash: bytes, session_id: UUID, expires_at: datetime
    ) -> None:
        await sessions.add_refresh_token(self.conn, token_hash, session_id, expires_at)

    async def presented(self, token_hash: bytes) -> PresentedToken | None:
        return await sessions.presented(self.conn, token_hash)

    async def mark_used(self, token_hash: bytes) -> None:
        await sessions.mark_used(self.conn, token_hash)

    async def revoke_session(self, session_id: UUID, reason: str) -> None:
        await sessions.revoke_session(self.conn, session_id, reason)

    async def revoke_all(self, user_id: UUID, reason: str) -> int:
        return await sessions.revoke_all(self.conn, user_id, reason)


class PostgresClosures:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def erase_contact_details(self, user: User) -> None:
        await erasure.erase_contact_details(self.conn, user)

    async def record_closed(self, user_id: UUID, reason: str) -> None:
        await closed_accounts.record_closed(self.conn, user_id, reason)


class PostgresUsersWork(UnitOfWork):
    def __init__(self, conn: asyncpg.Connection) -> None:
        super().__init__(conn)
        self.users: Accounts = PostgresAccounts(conn)
        self.companies: Memberships = PostgresCompanies(conn)
        self.sessions: Sessions = PostgresSessions(conn)
        self.closures: Closures = PostgresClosures(conn)
