"""/v1/users: register (platform credentials), read and change one's own profile, deactivate."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from contacts_events import DeactivationReason, ProfileField
from contacts_messaging import idempotency
from contacts_messaging.api import CallerDep, OutboxDep, get_host, transaction
from contacts_servicekit.domain_errors import Refused
from contacts_servicekit.errors import ERROR_RESPONSES
from fastapi import APIRouter, Header, Request, Response
from fastapi.responses import JSONResponse

from directory_service.domain.contact_details import display_name, email_address, mobile_e164
from directory_service.entrypoints.schemas import (
    ChangeProfile,
    RegisterUser,
    UserView,
)
from directory_service.handlers import users
from directory_service.handlers.users import Registration

router = APIRouter(prefix="/v1/users", tags=["users"])
IdempotencyKey = Annotated[str | None, Header(max_length=idempotency.MAX_KEY_LENGTH)]


@router.post("", status_code=201, response_model=UserView, responses=ERROR_RESPONSES)
async def register_user(
    body: RegisterUser, request: Request, caller: CallerDep, outbox: OutboxDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:  # fmt: skip
    """Register a user who completed sign-up (platform credentials: role `service` or `admin`).

    Send an `Idempotency-Key` header to retry safely: a retry returns the first response and
    registers (and announces) the user only once."""
    caller.require_staff()
    registration = Registration(
        display_name=display_name(body.display_name),
        phone_e164=mobile_e164(body.phone),
        email=email_address(body.email) if body.email else None,
        company_id=body.company_id,
        invitation_token=body.invitation_token,
    )
    fingerprint = idempotency.request_hash("POST", "/v1/users", body.model_dump(mode="json"))
    async with transaction(request) as conn:
        if idempotency_key:
            stored = await idempotency.claim(
                conn, caller.principal.user_id, idempotency_key, fingerprint
            )
            if stored is not None:
                return JSONResponse(
                    stored.body, stored.status_code, {"Idempotent-Replayed": "true"}
                )
        user = await users.register(conn, outbox, caller.event_context(), registration)
        view = UserView.of(user).model_dump(mode="json")
        if idempotency_key:
            await idempotency.remember(conn, caller.principal.user_id, idempotency_key, 201, view)
    return JSONResponse(view, status_code=201)


@router.get("/me", response_model=UserView, responses=ERROR_RESPONSES)
async def read_me(request: Request, caller: CallerDep) -> UserView:
    """The caller's own profile, with phone number and email."""
    async with transaction(request) as conn:
        return UserView.of(await users.read(conn, caller.user_id))


@router.patch("/me", response_model=UserView, responses=ERROR_RESPONSES)
async def change_me(
    body: ChangeProfile, request: Request, caller: CallerDep, outbox: OutboxDep
) -> UserView:
    """Change one's display name, or remove one's email with `"email": ""`. A new phone number
    or email needs proof: `POST /v1/users/me/verifications` (422 `verification_required`)."""
    changes: dict[ProfileField, str | None] = {}
    if body.display_name is not None:
        changes[ProfileField.DISPLAY_NAME] = display_name(body.display_name)
    for field, value in (("phone", body.phone), ("email", body.email)):
        if value:
            raise Refused(
                "verification_required",
                f"A new {field} becomes yours when you confirm the code sent to it: "
                "POST /v1/users/me/verifications.",
                field,
            )
    if body.email == "":
        changes[ProfileField.EMAIL] = None
    async with transaction(request) as conn:
        user = await users.change_profile(
            conn, outbox, caller.event_context(), caller.user_id, changes
        )
    return UserView.of(user)


@router.delete("/me", status_code=204, responses=ERROR_RESPONSES)
async def close_my_account(request: Request, caller: CallerDep, outbox: OutboxDep) -> Response:
    """Close the caller's account: the phone number and email become free."""
    async with transaction(request) as conn:
        await users.deactivate(
            conn, outbox, caller.event_context(), caller.user_id, DeactivationReason.CLOSED_BY_USER
        )
    get_host(request).closed_accounts.learn(caller.user_id)  # the others: NOTIFY, milliseconds
    return Response(status_code=204)


@router.post("/{user_id}/deactivation", status_code=204, responses=ERROR_RESPONSES)
async def deactivate_user(
    user_id: UUID, request: Request, caller: CallerDep, outbox: OutboxDep
) -> Response:
    """Close a user's account (platform credentials)."""
    caller.require_staff()
    async with transaction(request) as conn:
        await users.deactivate(
            conn, outbox, caller.event_context(), user_id, DeactivationReason.CLOSED_BY_ADMIN
        )
    return Response(status_code=204)
