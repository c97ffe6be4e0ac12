"""What the users, sign-in, session and verification use cases need, as protocols. Postgres
implements them (adapters/user_work.py, adapters/identity_work.py); tests give in-memory fakes
(tests/fake_users_work.py).

The one-time codes, the rate-limit buckets, the sessions' rows and the closure's erasure stay
SQL in adapters behind these ports: they are security primitives or set-based statements
(a code's attempt taken in one UPDATE, a bucket in one statement, every copy of a number
deleted at once), and the use cases only decide when to run them.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol
from uuid import UUID

from contacts_events.connect_id import ConnectId
from contacts_messaging.unit_of_work import EmitsEvents

from directory_service.domain.credentials import PresentedToken, SessionRules
from directory_service.domain.model import Company, User
from directory_service.domain.one_time_codes import Attempt, Purpose
from directory_service.domain.rate_limits import Decision, Limit


class Accounts(Protocol):
    async def get_user(self, user_id: UUID, *, for_update: bool = False) -> User | None: ...

    async def allocate_connect_id(self, kind: str, owner_id: UUID) -> ConnectId: ...

    async def insert_user(
        self, user_id: UUID, connect_id: ConnectId, display_name: str, phone_e164: str,
        email: str | None,
    ) -> None:  # fmt: skip
        """Store an active user; Conflicting `phone_taken` / `email_taken` when another active
        user has the number or email."""

    async def update_user(self, user_id: UUID, changes: dict[str, str | None]) -> None:
        """Set these columns; Conflicting `phone_taken` / `email_taken` as for insert_user."""

    async def active_by_phone(self, phone_e164: str) -> User | None: ...

    async def deactivate(self, user_id: UUID) -> None: ...


class Memberships(Protocol):
    async def get_company(self, company_id: UUID) -> Company | None: ...

    async def insert_member(self, company_id: UUID, user_id: UUID, role: str) -> bool:
        """False when the user already belongs to a company (any company)."""

    async def leave_company(self, user_id: UUID) -> UUID | None:
        """End the user's membership, whichever company it is of; that company, or None."""


class Sessions(Protocol):
    async def open_session(self, session_id: UUID, user_id: UUID, expires_at: datetime) -> None: ...

    async def add_refresh_token(
        self, token_hash: bytes, session_id: UUID, expires_at: datetime
    ) -> None: ...

    async def presented(self, token_hash: bytes) -> PresentedToken | None:
        """The refresh token with its session, both locked until the transaction ends."""

    async def mark_used(self, token_hash: bytes) -> None: ...

    async def revoke_session(self, session_id: UUID, reason: str) -> None: ...

    async def revoke_all(self, user_id: UUID, reason: str) -> int: ...


class Closures(Protocol):
    async def erase_contact_details(self, user: User) -> None:
        """Leave no copy of the user's number or email (adapters/erasure.py)."""

    async def record_closed(self, user_id: UUID, reason: str) -> None:
        """Refuse the account in every process from the commit on."""


class UsersWork(EmitsEvents, Protocol):
    """One transaction's users, memberships, sessions and closures."""

    users: Accounts
    companies: Memberships
    sessions: Sessions
    closures: Closures


class CodeStore(Protocol):
    async def replace(
        self, purpose: Purpose, destination: str, user_id: UUID | None, code_hmac: bytes,
        attempts: int, expires_at: datetime,
    ) -> None:  # fmt: skip
        """Store a new code, dropping any earlier one for the same purpose, destination, user."""

    async def take_attempt(
        self, purpose: Purpose, destination: str, user_id: UUID | None
    ) -> Attempt | None:
        """Spend one attempt on the live code; None when there is none left."""

    async def consume(
        self, purpose: Purpose, destination: str, user_id: UUID | None, code_hmac: bytes
    ) -> bool:
        """Delete the code that matched; False when another request used or replaced it."""


class RateLimits(Protocol):
    async def take(self, limit: Limit, subject: str) -> Decision:
        """Take one token of `limit` for `subject`."""


class AccessTokens(Protocol):
    rules: SessionRules

    @property
    def lifetime_seconds(self) -> int: ...

    async def access_token(self, user: User, session_id: UUID) -> str: ...

    async def service_token(self, client_id: str) -> str:
        """An access token with role `service` for a platform backend (its client id)."""


class IdentityWork(UsersWork, Protocol):
    """The sign-in, session and verification use cases' work: a connection outside any
    transaction, so what a use case does outside `transaction()` is a statement committed on its
    own (a rate-limit token, a code's attempt: their cost stands when the request then fails)."""

    codes: CodeStore
    limits: RateLimits
    tokens: AccessTokens

    def transaction(self, actor: UUID | None = None) -> AbstractAsyncContextManager[None]:
        """The changes made and the events emitted inside commit together, or neither. The
        events are by `actor` when given (a person signing up acts as themself), else by the
        caller."""
        ...
