"""/v1/auth: sign-up and sign-in with a code by SMS, refresh, sign-out, backends' tokens, keys."""

from __future__ import annotations

from typing import Annotated

from contacts_servicekit.domain_errors import NotPermitted
from contacts_servicekit.openapi_conventions import created, problems
from contacts_servicekit.web.idempotency import IdempotencyKey, IdempotentCall
from contacts_servicekit.web.requests import CallerDep, transaction
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from directory_service.domain.contact_details import display_name, mobile_e164
from directory_service.domain.one_time_codes import typed_code
from directory_service.entrypoints.auth_schemas import (
    CodeRequest,
    CodeSent,
    RefreshRequest,
    ServiceTokenView,
    SignedInView,
    SignIn,
    SigningKeyView,
    TokensView,
)
from directory_service.entrypoints.identity import IdentityDep, client_address, identity_work
from directory_service.entrypoints.schemas import UserView
from directory_service.handlers import service_clients, sessions
from directory_service.handlers import sign_in as sign_in_steps

router = APIRouter(prefix="/v1/auth", tags=["sign-in"])
_LIMITED = (429, "Too many codes or attempts for this number or address")
_TOKEN_REFUSED = (401, "Unknown, used or revoked refresh token (`refresh_token_invalid`, ...)")
_basic = HTTPBasic(auto_error=False, description="a platform backend's client id and secret")


@router.post("/codes", status_code=202, response_model=CodeSent, responses=problems(_LIMITED))
async def request_sign_in_code(
    body: CodeRequest, request: Request, identity: IdentityDep
) -> CodeSent:
    """Send a six-digit code by SMS to sign in, or to sign up if the number is new. The answer
    is the same either way. Limited per number and per client address (429 + Retry-After)."""
    phone = mobile_e164(body.phone)
    async with identity_work(request) as work:
        await sign_in_steps.request_code(
            work, identity.codes, identity.sign_in_limits, phone, client_address(request)
        )
    rules = identity.codes.rules
    return CodeSent(expires_in=int(rules.lifetime.total_seconds()), attempts=rules.attempts)


@router.post(
    "/sign-in",
    response_model=SignedInView,
    responses={**created("/v1/users/me", "Signed up: the new account"), **problems(_LIMITED)},
)
async def sign_in(
    body: SignIn, request: Request, response: Response, identity: IdentityDep
) -> SignedInView:
    """Exchange the number and its code for tokens. A number without an account signs up
    (201; `display_name` required, `invitation_token` from an invitation link) and is
    announced as `UserRegistered`; a known one signs in (200)."""
    phone, code = mobile_e164(body.phone), typed_code(body.code)
    new_user = None
    if body.display_name is not None:
        new_user = sign_in_steps.NewUser(display_name(body.display_name), body.invitation_token)
    async with identity_work(request) as work:
        signed = await sign_in_steps.sign_in(
            work, identity.codes, identity.sign_in_limits, phone, code, client_address(request),
            new_user,
        )  # fmt: skip
    response.status_code = 201 if signed.signed_up else 200
    if signed.signed_up:
        response.headers["Location"] = "/v1/users/me"
    tokens = TokensView.of(signed.tokens).model_dump()
    return SignedInView(**tokens, user=UserView.of(signed.user), signed_up=signed.signed_up)


@router.post("/refresh", response_model=TokensView, responses=problems(_TOKEN_REFUSED))
async def refresh_tokens(body: RefreshRequest, request: Request) -> TokensView:
    """New tokens for a refresh token, which is then used up: keep the new one. Using one
    twice closes the session (401 `refresh_token_reused`)."""
    async with identity_work(request) as work:
        return TokensView.of(await sessions.refresh(work, body.refresh_token))


@router.post("/sign-out", status_code=204)
async def sign_out(body: RefreshRequest, request: Request) -> Response:
    """Close the session of this refresh token (its access tokens expire within minutes)."""
    async with identity_work(request) as work:
        await sessions.sign_out(work, body.refresh_token)
    return Response(status_code=204)


@router.post(
    "/service-token",
    response_model=ServiceTokenView,
    responses=problems((429, "Too many attempts from this address")),
)
async def issue_service_token(
    request: Request,
    identity: IdentityDep,
    credentials: Annotated[HTTPBasicCredentials | None, Depends(_basic)],
) -> ServiceTokenView:
    """An access token with role `service` for a platform backend (HTTP Basic: its client id
    and secret, from `SERVICE_CLIENTS`), e.g. to register users whose numbers it verified."""
    client_id, secret = (credentials.username, credentials.password) if credentials else (None, "")
    async with identity_work(request) as work:
        token = await service_clients.service_token(
            work, identity.sign_in_limits, identity.service_clients, client_address(request),
            client_id, secret,
        )  # fmt: skip
    return ServiceTokenView(access_token=token, expires_in=identity.issuer.lifetime_seconds)


@router.post(
    "/signing-keys",
    status_code=201,
    response_model=SigningKeyView,
    responses={
        **created("/.well-known/jwks.json", "The new key, published in the JWKS"),
        **problems((403, "Needs the platform role admin (`admin_only`)")),
    },
)
async def rotate_signing_key(
    request: Request, caller: CallerDep, identity: IdentityDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:  # fmt: skip
    """Sign tokens with a new key from now on (platform `admin` role). The old key stays in the
    JWKS while its tokens live; services pick the new one up without a restart. With an
    `Idempotency-Key` a retry gets the first answer and rotates nothing more."""
    if not caller.principal.has_role("admin"):
        raise NotPermitted("admin_only", "Rotating the signing key needs the role admin.")
    call = IdempotentCall.of(request, caller.principal.user_id, idempotency_key, None)
    async with transaction(request) as conn:
        if (earlier := await call.earlier_response(conn)) is not None:
            return earlier
        key = await identity.issuer.keys.rotate(conn)
        view = SigningKeyView(kid=key.kid).model_dump(mode="json")
        return await call.respond(conn, 201, view, {"Location": "/.well-known/jwks.json"})
