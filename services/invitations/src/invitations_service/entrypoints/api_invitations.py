"""/v1/invitations: invite by SMS or email, the pending list, resend, delete."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from contacts_messaging.api import CallerDep, transaction
from contacts_messaging.idempotency import IdempotencyKey, IdempotentCall
from contacts_servicekit.errors import Invalid
from contacts_servicekit.openapi_conventions import created, problems
from contacts_servicekit.pagination import PageCursor, PageLimit, decode_cursor, next_cursor
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from invitations_service.adapters import invitations_repository as invitations
from invitations_service.adapters.metrics import refusals_counted
from invitations_service.domain.invitee import invitee_name
from invitations_service.domain.policy import Policy, checked_email, checked_phone
from invitations_service.handlers import inviting
from invitations_service.handlers.delivery_wake import waking

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
    def of(cls, row) -> InvitationView:  # type: ignore[no-untyped-def]
        return cls(
            invitation_id=row["invitation_id"], channel=row["channel"],
            destination=row["phone_e164"] or row["email"], name=row["invitee_name"], status=row["status"],
            send_count=row["send_count"], last_sent_at=row["last_sent_at"], expires_at=row["expires_at"],
            created_at=row["created_at"],
        )  # fmt: skip


class PendingPage(BaseModel):
    items: list[InvitationView]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )


def _policy(request: Request) -> Policy:
    policy: Policy = request.app.state.policy
    return policy


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
    if body.channel == "sms" and not body.phone:
        raise Invalid("phone_required", "An SMS invitation needs a phone number.", "phone")
    if body.channel == "email" and not body.email:
        raise Invalid("email_required", "An email invitation needs an email address.", "email")
    name = invitee_name(body.name)
    call = IdempotentCall.of(request, str(caller.user_id), idempotency_key, body.model_dump())
    request_id = (
        uuid.uuid5(_NAMESPACE, f"{caller.user_id}:{idempotency_key}")
        if idempotency_key
        else uuid.uuid4()
    )
    tenant = caller.principal.tenant_id or caller.principal.company_id
    with refusals_counted():
        phone = checked_phone(body.phone) if body.channel == "sms" and body.phone else None
        email = checked_email(body.email) if body.channel == "email" and body.email else None
        async with waking(request.app.state.delivery_wake), transaction(request) as conn:
            if (earlier := await call.earlier_response(conn)) is not None:
                return earlier
            row, is_new = await inviting.invite(
                conn, _policy(request), caller.event_context(), caller.user_id, request_id,
                body.channel, phone, email, name, tenant=tenant,
            )  # fmt: skip
            view = InvitationView.of(row).model_dump(mode="json")
            if not is_new:
                return await call.respond(conn, 200, view)
            location = {"Location": f"/v1/invitations/{row['invitation_id']}"}
            return await call.respond(conn, 201, view, location)


@router.get("", response_model=PendingPage)
async def list_invitations(
    request: Request, caller: CallerDep, cursor: PageCursor = None, limit: PageLimit = 50
) -> PendingPage:
    """The caller's pending invitations, newest first, `limit` at a time."""
    before = decode_cursor(cursor, datetime.fromisoformat, uuid.UUID) if cursor else None
    async with transaction(request) as conn:
        rows = await invitations.pending_page(conn, caller.user_id, before, limit + 1)
    return PendingPage(
        items=[InvitationView.of(r) for r in rows[:limit]],
        next_cursor=next_cursor(
            rows, limit, lambda r: (r["created_at"].isoformat(), r["invitation_id"])
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
        async with waking(request.app.state.delivery_wake), transaction(request) as conn:
            row = await inviting.resend(
                conn, _policy(request), caller.event_context(), caller.user_id, invitation_id
            )
    return InvitationView.of(row)


@router.delete("/{invitation_id}", status_code=204, responses=problems(_NOT_YOURS))
async def delete_invitation(
    invitation_id: uuid.UUID, request: Request, caller: CallerDep
) -> Response:
    """Delete (cancel) a pending invitation."""
    host = request.app.state.host
    async with transaction(request) as conn:
        await inviting.cancel(
            conn, host.outbox, caller.event_context(), caller.user_id, invitation_id
        )
    return Response(status_code=204)
