"""What the sign-in, session and verification routes share, built once per app, and their unit
of work."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated

from contacts_events import EventContext
from contacts_messaging.api import get_outbox
from contacts_servicekit.logging import current_correlation_id
from contacts_servicekit.web.requests import connection
from fastapi import Depends, Request

from directory_service.adapters.identity_work import PostgresIdentityWork
from directory_service.adapters.token_issuer import TokenIssuer
from directory_service.domain.rate_limits import Limit
from directory_service.handlers.codes import Codes
from directory_service.handlers.sign_in import SignInLimits


@dataclass(frozen=True)
class Identity:
    codes: Codes
    issuer: TokenIssuer
    sign_in_limits: SignInLimits
    verifications_per_user: Limit
    verifications_per_destination: Limit
    service_clients: dict[str, str]  # client id -> secret of the platform backends


def get_identity(request: Request) -> Identity:
    identity: Identity = request.app.state.identity
    return identity


def client_address(request: Request) -> str:
    """The caller's IP address (behind a proxy: uvicorn's FORWARDED_ALLOW_IPS decides whose
    X-Forwarded-For is believed)."""
    return request.client.host if request.client else "unknown"


@asynccontextmanager
async def identity_work(
    request: Request, context: EventContext | None = None
) -> AsyncIterator[PostgresIdentityWork]:
    """A pooled connection outside any transaction, as the sign-in, session and verification
    use cases' unit of work: each opens its transaction itself (handlers/user_ports.py).
    Events are by `context` (the signed-in caller's), else in the request's correlation only."""
    context = context or EventContext(correlation_id=current_correlation_id() or "")
    async with connection(request) as conn:
        yield PostgresIdentityWork(conn, get_identity(request).issuer, get_outbox(request), context)


IdentityDep = Annotated[Identity, Depends(get_identity)]
