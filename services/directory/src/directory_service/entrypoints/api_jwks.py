"""/.well-known/jwks.json: the public keys of the tokens the directory signs (no token needed)."""

from __future__ import annotations

from typing import Any

from contacts_servicekit.web.requests import connection
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from directory_service.entrypoints.identity import IdentityDep

router = APIRouter(tags=["sign-in"])
MAX_AGE_SECONDS = 60  # verifiers also fetch again at once when a token names a key they lack
MEDIA_TYPE = "application/jwk-set+json"  # RFC 7517 section 8.5


class JwkSetResponse(JSONResponse):
    media_type = MEDIA_TYPE


class JwkSet(BaseModel):
    keys: list[dict[str, Any]]


@router.get(
    "/.well-known/jwks.json",
    response_class=JwkSetResponse,
    responses={200: {"content": {MEDIA_TYPE: {"schema": JwkSet.model_json_schema()}}}},
)
async def read_signing_keys(request: Request, identity: IdentityDep) -> JwkSetResponse:
    """The JSON Web Key Set every service verifies access tokens with (RFC 7517)."""
    async with connection(request) as conn:
        document = await identity.issuer.keys.jwks(conn)
    headers = {"Cache-Control": f"public, max-age={MAX_AGE_SECONDS}"}
    return JwkSetResponse(document, headers=headers)
