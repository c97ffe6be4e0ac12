"""The sign-in, session and verification use cases' unit of work on Postgres: the users' work
(adapters/user_work.py) on a connection outside any transaction, with the one-time codes, the
rate-limit buckets and the signing of access tokens. The use case opens the transaction itself
(`transaction()`), because some of its statements must commit whatever happens next: a
rate-limit token and a code's attempt are spent even when the request then fails."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from uuid import UUID

import asyncpg
from contacts_events import EventContext
from contacts_messaging.outbox import Outbox

from directory_service.adapters import codes_repository as codes
from directory_service.adapters import rate_limiter
from directory_service.adapters.token_issuer import TokenIssuer
from directory_service.adapters.user_work import PostgresUsersWork
from directory_service.domain.model import User
from directory_service.domain.one_time_codes import Attempt, Purpose
from directory_service.domain.rate_limits import Decision, Limit
from directory_service.handlers.user_ports import AccessTokens, CodeStore, RateLimits


class PostgresCodes:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def replace(
        self, purpose: Purpose, destination: str, user_id: UUID | None, code_hmac: bytes,
        attempts: int, expires_at: datetime,
    ) -> None:  # fmt: skip
        await codes.replace(
            self.conn, purpose, destination, user_id, code_hmac, attempts, expires_at
        )

    async def take_attempt(
        self, purpose: Purpose, destination: str, user_id: UUID | None
    ) -> Attempt | None:
        return await codes.take_attempt(self.conn, purpose, destination, user_id)

    async def consume(
        self, purpose: Purpose, destination: str, user_id: UUID | None, code_hmac: bytes
    ) -> bool:
        return await codes.consume(self.conn, purpose, destination, user_id, code_hmac)


class PostgresRateLimits:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def take(self, limit: Limit, subject: str) -> Decision:
        return await rate_limiter.take(self.conn, limit, subject)


class SigningOnConnection:
    """The token issuer reading its signing key on this connection."""

    def __init__(self, issuer: TokenIssuer, conn: asyncpg.Connection) -> None:
        self.issuer, self.conn, self.rules = issuer, conn, issuer.rules

    @property
    def lifetime_seconds(self) -> int:
        return self.issuer.lifetime_seconds

    async def access_token(self, user: User, session_id: UUID) -> str:
        return await self.issuer.access_token(self.conn, user, session_id)

    async def service_token(self, client_id: str) -> str:
        return await self.issuer.service_token(self.conn, client_id)


class PostgresIdentityWork(PostgresUsersWork):
    def __init__(
        self, conn: asyncpg.Connection, issuer: TokenIssuer, outbox: Outbox,
        context: EventContext,
    ) -> None:  # fmt: skip
        super().__init__(conn)
        self.codes: CodeStore = PostgresCodes(conn)
        self.limits: RateLimits = PostgresRateLimits(conn)
        self.tokens: AccessTokens = SigningOnConnection(issuer, conn)
        self._outbox, self._context = outbox, context

    @asynccontextmanager
    async def transaction(self, actor: UUID | None = None) -> AsyncIterator[None]:
        context = self._context
        if actor is not None:
            context = context.model_copy(update={"actor": str(actor)})
        try:
            async with self.conn.transaction():
                yield
                await self.write_events(self._outbox, context)
        except BaseException:
            self.events.clear()  # rolled back with the changes they announced
            raise
