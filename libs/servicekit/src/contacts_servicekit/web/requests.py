"""What every endpoint of a service needs from its request: the caller, a connection or a
transaction of the service's pool, and ConnectIDs read as people type them."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated

import asyncpg
from contacts_events.connect_id import ConnectId, InvalidConnectId, parse
from contacts_events.envelope import EventContext
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from contacts_servicekit.errors import Invalid, NotAllowed, NotFound
from contacts_servicekit.logging import current_correlation_id
from contacts_servicekit.principal import Principal
from contacts_servicekit.web.hosted import Host

STAFF_ROLES = frozenset({"admin", "service"})


@dataclass(frozen=True)
class Caller:
    """The authenticated principal of a request."""

    principal: Principal

    @property
    def is_staff(self) -> bool:
        """Platform back-ends and administrators (roles `service`, `admin`)."""
        return bool(self.principal.roles & STAFF_ROLES)

    @property
    def user_id(self) -> uuid.UUID:
        """The caller's user id; 404 when the token's subject is not a user id at all."""
        try:
            return uuid.UUID(self.principal.user_id)
        except ValueError:
            raise NotFound("user_not_found", "No user has this id.") from None

    def require_staff(self) -> None:
        if not self.is_staff:
            raise NotAllowed(
                "staff_only", "This needs platform credentials (role service or admin)."
            )

    def event_context(self) -> EventContext:
        """Context for the events this request causes: its correlation id, tenant and actor."""
        return EventContext(
            correlation_id=current_correlation_id() or str(uuid.uuid4()),
            tenant=self.principal.tenant_id,
            actor=self.principal.user_id,
        )


_bearer = HTTPBearer(auto_error=False, description="A JWT from the platform's issuer")


def request_host(request: Request) -> Host:
    """The host `service_app` put on the app."""
    host: Host = request.app.state.host
    return host


async def get_caller(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Caller:
    """401 unless the request carries a valid bearer token of an account not known closed."""
    principal = await request.app.state.authenticate(credentials)
    request_host(request).refuse_closed(principal)
    return Caller(principal)


@asynccontextmanager
async def transaction(request: Request) -> AsyncIterator[asyncpg.Connection]:
    """One connection and transaction: a state change and its events commit together, and
    the response is sent only after the commit succeeded."""
    async with request_host(request).pool.acquire() as conn, conn.transaction():
        yield conn


@asynccontextmanager
async def connection(request: Request) -> AsyncIterator[asyncpg.Connection]:
    """One connection without a transaction, for a read of one statement (a transaction
    would add two round trips and no consistency: each statement has its own snapshot)."""
    async with request_host(request).pool.acquire() as conn:
        yield conn


def connect_id_from(text: str) -> ConnectId:
    """A ConnectID typed by a person, or 422 saying what is wrong with it (before any look-up)."""
    try:
        return parse(text)
    except InvalidConnectId as error:
        raise Invalid(error.code, error.reason, "connect_id") from None


CallerDep = Annotated[Caller, Depends(get_caller)]
