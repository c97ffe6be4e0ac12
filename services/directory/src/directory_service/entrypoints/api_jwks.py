"""/.well-known/jwks.json: the public keys of the tokens the directory signs (no token needed)."""

from __future__ import annotations

from typing import Any

from contacts_messaging.api import connection
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from directory_service.entrypoints.identity import IdentityDep

router = APIRouter(tags=["sign-in"])
MAX_AGE_SECONDS = 60  # verifiers also fetch again at once when a token names a key they lack


@router.get("/.well-known/jwks.json", response_model=dict[str, Any])
async def jwks(request: Request, identity: IdentityDep) -> JSONResponse:
    """The JSON Web Key Set every service verifies access tokens with (RFC 7517)."""
    async with connection(request) as conn:
        document = await identity.issuer.keys.jwks(conn)
    headers = {"Cache-Control": f"public, max-age={MAX_AGE_SECONDS}"}
    return JSONResponse(document, headers=headers, media_type="application/jwk-set+json")
