"""What the sign-in, session and verification routes share, built once per app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from directory_service.adapters.rate_limiter import Limit
from directory_service.adapters.token_issuer import TokenIssuer
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


IdentityDep = Annotated[Identity, Depends(get_identity)]
