"""/v1/users/me/verifications: prove a new phone number or email before it becomes yours."""

from __future__ import annotations

from contacts_servicekit.domain_errors import Refused
from contacts_servicekit.openapi_conventions import problems
from contacts_servicekit.web.requests import CallerDep
from fastapi import APIRouter, Request, Response

from directory_service.domain.contact_details import email_address, mobile_e164
from directory_service.domain.one_time_codes import Purpose, typed_code
from directory_service.entrypoints.auth_schemas import ConfirmVerification, StartVerification
from directory_service.entrypoints.identity import IdentityDep, identity_work
from directory_service.entrypoints.schemas import UserView
from directory_service.handlers import verifications
from directory_service.handlers.verifications import NewDestination

router = APIRouter(prefix="/v1/users/me/verifications", tags=["users"])
_CLOSED = (404, "The account is closed (`user_not_found`)")


@router.post(
    "", status_code=202, responses=problems(_CLOSED, (429, "Too many codes for you or for it"))
)
async def start_verification(
    body: StartVerification, request: Request, caller: CallerDep, identity: IdentityDep
) -> Response:
    """Send a code to the new phone number (SMS) or email; nothing changes until it is
    confirmed. Limited per user and per destination (429 + Retry-After)."""
    new = _destination(body)
    async with identity_work(request, caller.event_context()) as work:
        await verifications.start(
            work, identity.codes, identity.verifications_per_user,
            identity.verifications_per_destination, caller.user_id, new,
        )  # fmt: skip
    return Response(status_code=202)


@router.post(
    "/confirm",
    response_model=UserView,
    responses=problems(_CLOSED, (409, "Another account holds it (`phone_taken`, `email_taken`)")),
)
async def confirm_verification(
    body: ConfirmVerification, request: Request, caller: CallerDep, identity: IdentityDep
) -> UserView:
    """Confirm the code: the phone number or email becomes yours (`UserProfileChanged`);
    409 `phone_taken` / `email_taken` when another account holds it."""
    new, code = _destination(body), typed_code(body.code)
    async with identity_work(request, caller.event_context()) as work:
        user = await verifications.confirm(work, identity.codes, caller.user_id, new, code)
    return UserView.of(user)


def _destination(body: StartVerification) -> NewDestination:
    if (body.phone is None) == (body.email is None):
        raise Refused("one_destination", "Give either a phone number or an email.", "phone")
    if body.phone is not None:
        return NewDestination(Purpose.VERIFY_PHONE, mobile_e164(body.phone))
    assert body.email is not None
    return NewDestination(Purpose.VERIFY_EMAIL, email_address(body.email))
