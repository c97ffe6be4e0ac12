"""/v1/invitations: invite by SMS or email, the pending list, resend, delete."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Annotated, Literal

from contacts_messaging.api import CallerDep, transaction
from contacts_messaging.idempotency import IdempotencyKey, IdempotentCall
from contacts_servicekit.errors import ERROR_RESPONSES, Invalid
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from invitations_service.adapters import invitations_repository as invitations
from invitations_service.adapters.metrics import refusals_counted
from invitations_service.domain.invitee import invitee_name
from invitations_service.domain.policy import Policy, checked_phone
from invitations_service.handlers import inviting

router = APIRouter(prefix="/v1/invitations", tags=["invitations"], responses=ERROR_RESPONSES)
_NAMESPACE = uuid.UUID("6f1d2a52-3c1e-4c57-9a57-3bcb1f0c5a10")


class Invite(BaseModel):
    model_config = ConfigDict(extra="forbid")
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
    next_cursor: str | None


def _policy(request: Request) -> Policy:
    policy: Policy = request.app.state.policy
    return policy


@router.post("", status_code=201, response_model=InvitationView)
async def create(
    body: Invite, request: Request, caller: CallerDep, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    """Invite someone by SMS (a mobile number) or email. A second invitation to the same
    destination while one is pending returns that one (200) and sends nothing. With an
    `Idempotency-Key`, a retry returns the first response; the key with another body is
    refused (422 `idempotency_key_reused`).

    Refused with 422 naming `phone` and the reason for premium-rate, shared-cost and fixed-line
    numbers and for a country the caller's tenant may not invite (`country_not_allowed`); with
    429 and `Retry-After` past the caller's or the destination's daily cap."""
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
        async with transaction(request) as conn:
            if (earlier := await call.earlier_response(conn)) is not None:
                return earlier
            row, created = await inviting.invite(
                conn, _policy(request), caller.event_context(), caller.user_id, request_id,
                body.channel, phone,
                body.email if body.channel == "email" else None, name, tenant=tenant,
            )  # fmt: skip
            view = InvitationView.of(row).model_dump(mode="json")
            return await call.respond(conn, 201 if created else 200, view)


@router.get("", response_model=PendingPage)
async def pending(
    request: Request, caller: CallerDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None, limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> PendingPage:  # fmt: skip
    """The caller's pending invitations, newest first."""
    before = _decode(cursor) if cursor else None
    async with transaction(request) as conn:
        rows = await invitations.pending_page(conn, caller.user_id, before, limit + 1)
    items = [InvitationView.of(r) for r in rows[:limit]]
    next_cursor = (
        _encode(items[-1].created_at, items[-1].invitation_id) if len(rows) > limit else None
    )
    return PendingPage(items=items, next_cursor=next_cursor)


@router.post("/{invitation_id}/resend", status_code=202, response_model=InvitationView)
async def resend(invitation_id: uuid.UUID, request: Request, caller: CallerDep) -> InvitationView:
    """Send the invitation again. Refused (429, with Retry-After and the reason) within the
    cool-down after the last message, or past the daily cap of the destination."""
    with refusals_counted():
        async with transaction(request) as conn:
            row = await inviting.resend(
                conn, _policy(request), caller.event_context(), caller.user_id, invitation_id
            )
    return InvitationView.of(row)


@router.delete("/{invitation_id}", status_code=204)
async def delete(invitation_id: uuid.UUID, request: Request, caller: CallerDep) -> Response:
    """Delete (cancel) a pending invitation."""
    host = request.app.state.host
    async with transaction(request) as conn:
        await inviting.cancel(
            conn, host.outbox, caller.event_context(), caller.user_id, invitation_id
        )
    return Response(status_code=204)


def _encode(created_at: datetime, invitation_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{created_at.isoformat()}|{invitation_id}".encode()).decode()


def _decode(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        when, invitation_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return datetime.fromisoformat(when), uuid.UUID(invitation_id)
    except (ValueError, UnicodeDecodeError):
        raise Invalid("bad_cursor", "This cursor is not one this API returned.", "cursor") from None
