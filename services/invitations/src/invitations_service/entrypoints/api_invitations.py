"""/v1/invitations: invite by SMS or email, the pending list, resend, delete."""

from __future__ import annotations

import uuid
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Literal

from contacts_messaging.api import unit_of_work
from contacts_servicekit.openapi_conventions import created, problems
from contacts_servicekit.pagination import PageCursor, PageLimit, decode_cursor, next_cursor
from contacts_servicekit.web.idempotency import IdempotencyKey, IdempotentCall
from contacts_servicekit.web.requests import Caller, CallerDep
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from invitations_service.adapters.metrics import refusals_counted
from invitations_service.adapters.unit_of_work import PostgresInvitationsWork
from invitations_service.domain.invitation import Invitation
from invitations_service.domain.invitee import Asked
from invitations_service.domain.policy import Policy
from invitations_service.handlers import inviting
from invitations_service.handlers.sending.handover import Claims, HandOver

router = APIRouter(prefix="/v1/invitations", tags=["invitations"])
_NAMESPACE = uuid.UUID("6f1d2a52-3c1e-4c57-9a57-3bcb1f0c5a10")
_NOT_YOURS = (404, "You have no pending invitation with this id (`invitation_not_found`)")
_LIMITED = (429, "A cool-down or daily cap (`RateLimit-Policy` names it)")


class Invite(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"channel": "sms", "phone": "+447700900123", "name": "Ada"},
                {"channel": "email", "email": "ada@example.com", "name": "Ada"},
            ]
        },
    )
    channel: Literal["sms", "email"] = "sms"
    phone: str | None = Field(default=None, max_length=40, description="E.164, for SMS")
    email: str | None = Field(default=None, max_length=254)
    name: str | None = Field(default=None, max_length=200, description="How you name them")


class InvitationView(BaseModel):
    invitation_id: uuid.UUID
    channel: str
    destination: str
    name: str | None
    status: str
    send_count: int
    last_sent_at: datetime | None
    expires_at: datetime
    created_at: datetime

    @classmethod
    def of(cls, found: Invitation) -> InvitationView:
        return cls(
            invitation_id=found.invitation_id, channel=found.channel,
            destination=found.phone_e164 or found.email or "", name=found.invitee_name,
            status=found.status, send_count=found.send_count, last_sent_at=found.last_sent_at,
            expires_at=found.expires_at, created_at=found.created_at,
        )  # fmt: skip


class PendingPage(BaseModel):
    items: list[InvitationView]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )


def _policy(request: Request) -> Policy:
    policy: Policy = request.app.state.policy
    return policy


def _work(
    request: Request, caller: Caller, claims: Claims | None = None
) -> AbstractAsyncContextManager[PostgresInvitationsWork]:
    """The request's transaction; the events emitted in it go out in the caller's context, the
    messages it queues are claimed in `claims` (if any)."""
    return unit_of_work(
        request, lambda conn: PostgresInvitationsWork(conn, claims), caller.event_context()
    )


def _handing_over(request: Request) -> AbstractAsyncContextManager[Claims | None]:
    """Around the request's transaction: the messages it queues go to this process's delivery
    worker at the commit (handlers/sending/handover.py)."""
    handover: HandOver = request.app.state.delivery_handover
    return handover.handing()


@router.post(
    "",
    status_code=201,
    response_model=InvitationView,
    responses={
        **created("/v1/invitations/{invitation_id}", "Invited"),
        200: {"model": InvitationView, "description": "Already pending: that invitation"},
        **problems(_LIMITED),
    },
)
async def create_invitation(
    body: Invite, request: Request, caller: CallerDep, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    """Invite someone by SMS (a mobile number) or email. A second invitation to the same
    destination while one is pending returns that one (200) and sends nothing. With an
    `Idempotency-Key`, a retry returns the first response; the key with another body is
    refused (422 `idempotency_key_reused`).

    Refused with 422 naming `phone` and the reason for a number that cannot take an SMS
    (`not_mobile`, `premium_rate`, `shared_cost`, `personal_number`, `voip`, `toll_free`,
    `uan`, `pager`, `voicemail`, `non_geographic`; `phone_invalid`, `phone_unparseable`,
    `phone_has_extension`) and for a country the caller's tenant may not invite
    (`country_not_allowed`); naming `email` (`email_invalid`) for anything but one address;
    with 429 and `Retry-After` inside the cool-down of the caller's last message to the
    destination (also after deleting its invitation) and past the caller's or the
    destination's daily cap."""
    asked = Asked.of(body.channel, body.phone, body.email, body.name)
    call = IdempotentCall.of(request, str(caller.user_id), idempotency_key, body.model_dump())
    request_id = (
        uuid.uuid5(_NAMESPACE, f"{caller.user_id}:{idempotency_key}")
        if idempotency_key
        else uuid.uuid4()
    )
    tenant = caller.principal.tenant_id or caller.principal.company_id
    with refusals_counted():
        async with _handing_over(request) as claims, _work(request, caller, claims) as work:
            if (earlier := await call.earlier_response(work.conn)) is not None:
                return earlier
            invitation, is_new = await inviting.invite_asked(
                work, _policy(request), caller.event_context(), caller.user_id, request_id,
                asked, tenant,
            )  # fmt: skip
            view = InvitationView.of(invitation).model_dump(mode="json")
            if not is_new:
                return await call.respond(work.conn, 200, view)
            location = {"Location": f"/v1/invitations/{invitation.invitation_id}"}
            return await call.respond(work.conn, 201, view, location)


@router.get("", response_model=PendingPage)
async def list_invitations(
    request: Request, caller: CallerDep, cursor: PageCursor = None, limit: PageLimit = 50
) -> PendingPage:
    """The caller's pending invitations, newest first, `limit` at a time."""
    before = decode_cursor(cursor, datetime.fromisoformat, uuid.UUID) if cursor else None
    async with _work(request, caller) as work:
        found = await inviting.pending_page(work, caller.user_id, before, limit + 1)
    return PendingPage(
        items=[InvitationView.of(i) for i in found[:limit]],
        next_cursor=next_cursor(
            found, limit, lambda i: (i.created_at.isoformat(), i.invitation_id)
        ),
    )


@router.post(
    "/{invitation_id}/resend",
    status_code=202,
    response_model=InvitationView,
    responses=problems(_NOT_YOURS, (409, "Being sent right now (`send_in_progress`)"), _LIMITED),
)
async def resend_invitation(
    invitation_id: uuid.UUID, request: Request, caller: CallerDep
) -> InvitationView:
    """Send the invitation again. Refused (429, with Retry-After and the reason) within the
    cool-down after the caller's last message to the destination (of any invitation), or past
    the daily cap of the destination."""
    with refusals_counted():
        async with _handing_over(request) as claims, _work(request, caller, claims) as work:
            found = await inviting.resend(
                work, _policy(request), caller.event_context(), caller.user_id, invitation_id
            )
    return InvitationView.of(found)


@router.delete("/{invitation_id}", status_code=204, responses=problems(_NOT_YOURS))
async def delete_invitation(
    invitation_id: uuid.UUID, request: Request, caller: CallerDep
) -> Response:
    """Delete (cancel) a pending invitation."""
    async with _work(request, caller) as work:
        await inviting.cancel(work, caller.user_id, invitation_id)
    return Response(status_code=204)
