"""What every endpoint of a service needs: the caller, a transaction, the outbox."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, TypeVar

import asyncpg
from contacts_events.connect_id import ConnectId, InvalidConnectId, parse
from contacts_events.envelope import EventContext
from contacts_servicekit.errors import Invalid, NotAllowed, NotFound
from contacts_servicekit.logging import current_correlation_id
from contacts_servicekit.principal import Principal
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from contacts_messaging.accounts.guard import refuse_closed
from contacts_messaging.host import ServiceHost
from contacts_messaging.outbox import Outbox
from contacts_messaging.unit_of_work import UnitOfWork

STAFF_ROLES = frozenset({"admin", "service"})
Work = TypeVar("Work", bound=UnitOfWork)


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


async def get_caller(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Caller:
    """401 unless the request carries a valid bearer token of an account not known closed."""
    principal = await request.app.state.authenticate(credentials)
    refuse_closed(get_host(request).closed_accounts, principal)
    return Caller(principal)


def get_host(request: Request) -> ServiceHost:
    host: ServiceHost = request.app.state.host
    return host


def get_outbox(request: Request) -> Outbox:
    return get_host(request).outbox


@asynccontextmanager
async def transaction(request: Request) -> AsyncIterator[asyncpg.Connection]:
    """One connection and transaction: a state change and its events commit together, and
    the response is sent only after the commit succeeded."""
    async with get_host(request).pool.acquire() as conn, conn.transaction():
        yield conn


@asynccontextmanager
async def unit_of_work(
    request: Request, bind: Callable[[asyncpg.Connection], Work], context: EventContext
) -> AsyncIterator[Work]:
    """`transaction`, with the service's unit of work bound to it (`bind`): the events the use
    case emitted are written to the outbox when the block ends without an error, so they
    commit with the changes."""
    async with transaction(request) as conn:
        work = bind(conn)
        yield work
        await work.write_events(get_outbox(request), context)


@asynccontextmanager
async def connection(request: Request) -> AsyncIterator[asyncpg.Connection]:
    """One connection without a transaction, for a read of one statement (a transaction
    would add two round trips and no consistency: each statement has its own snapshot)."""
    async with get_host(request).pool.acquire() as conn:
        yield conn


def connect_id_from(text: str) -> ConnectId:
    """A ConnectID typed by a person, or 422 saying what is wrong with it (before any look-up)."""
    try:
        return parse(text)
    except InvalidConnectId as error:
        raise Invalid(error.code, error.reason, "connect_id") from None


CallerDep = Annotated[Caller, Depends(get_caller)]
OutboxDep = Annotated[Outbox, Depends(get_outbox)]
HostDep = Annotated[ServiceHost, Depends(get_host)]
