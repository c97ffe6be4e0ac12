"""/v1/users: register (platform credentials), read and change one's own profile, deactivate."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from uuid import UUID

from contacts_events import DeactivationReason, ProfileField
from contacts_messaging.api import get_host, unit_of_work
from contacts_servicekit.domain_errors import Refused
from contacts_servicekit.openapi_conventions import created, problems
from contacts_servicekit.web.idempotency import IdempotencyKey, IdempotentCall
from contacts_servicekit.web.requests import Caller, CallerDep
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from directory_service.adapters.user_work import PostgresUsersWork
from directory_service.domain.contact_details import display_name, email_address, mobile_e164
from directory_service.entrypoints.refusals import STAFF_ONLY
from directory_service.entrypoints.schemas import (
    ChangeProfile,
    RegisterUser,
    UserView,
)
from directory_service.handlers import users
from directory_service.handlers.users import Registration

router = APIRouter(prefix="/v1/users", tags=["users"])
_CLOSED = (404, "No active user has this id (`user_not_found`)")


@router.post(
    "",
    status_code=201,
    response_model=UserView,
    responses={
        **created("/v1/users/{user_id}", "Registered"),
        **problems(STAFF_ONLY, (409, "Another user has this phone or email")),
    },
)
async def register_user(
    body: RegisterUser, request: Request, caller: CallerDep, idempotency_key: IdempotencyKey = None,
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
    body_json = body.model_dump(mode="json")
    call = IdempotentCall.of(request, caller.principal.user_id, idempotency_key, body_json)
    async with _work(request, caller) as work:
        if (earlier := await call.earlier_response(work.conn)) is not None:
            return earlier
        user = await users.register(work, registration)
        view, location = UserView.of(user).model_dump(mode="json"), f"/v1/users/{user.user_id}"
        return await call.respond(work.conn, 201, view, {"Location": location})


@router.get("/me", response_model=UserView, responses=problems(_CLOSED))
async def read_me(request: Request, caller: CallerDep) -> UserView:
    """The caller's own profile, with phone number and email."""
    async with _work(request, caller) as work:
        return UserView.of(await users.read(work, caller.user_id))


@router.patch("/me", response_model=UserView, responses=problems(_CLOSED))
async def change_me(body: ChangeProfile, request: Request, caller: CallerDep) -> UserView:
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
    async with _work(request, caller) as work:
        user = await users.change_profile(work, caller.user_id, changes)
    return UserView.of(user)


@router.delete("/me", status_code=204, responses=problems(_CLOSED))
async def close_my_account(request: Request, caller: CallerDep) -> Response:
    """Close the caller's account: the phone number and email become free."""
    async with _work(request, caller) as work:
        await users.deactivate(work, caller.user_id, DeactivationReason.CLOSED_BY_USER)
    get_host(request).closed_accounts.learn(caller.user_id)  # the others: NOTIFY, milliseconds
    return Response(status_code=204)


@router.post("/{user_id}/deactivation", status_code=204, responses=problems(STAFF_ONLY, _CLOSED))
async def deactivate_user(user_id: UUID, request: Request, caller: CallerDep) -> Response:
    """Close a user's account (platform credentials)."""
    caller.require_staff()
    async with _work(request, caller) as work:
        await users.deactivate(work, user_id, DeactivationReason.CLOSED_BY_ADMIN)
    return Response(status_code=204)


def _work(request: Request, caller: Caller) -> AbstractAsyncContextManager[PostgresUsersWork]:
    """The request's transaction as the users use cases' unit of work, its events by `caller`."""
    return unit_of_work(request, PostgresUsersWork, caller.event_context())
