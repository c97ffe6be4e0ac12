"""InvitationRequested from the importer's "Invite contact" (consumer `invitations.requests`).

A refused request (a refused number, a country the tenant may not invite, a daily cap) creates
nothing; it is announced as `InvitationRefused` with the reason, so the importer can show it,
and counted in `invitations_refused_total`.
"""

from __future__ import annotations

import uuid

import asyncpg
import structlog
from contacts_events import EventContext, InvitationRefused, InvitationRequested
from contacts_events.envelope import CloudEvent
from contacts_messaging.inbox import Handler
from contacts_messaging.outbox import Outbox
from contacts_servicekit.errors import ApiError

from invitations_service.adapters.metrics import count_refused
from invitations_service.domain.policy import Policy, checked_phone, refusal_code
from invitations_service.handlers.inviting import invite

log = structlog.get_logger(__name__)
_REFUSED_IDS = uuid.UUID("0b6f9a0e-94a4-4d39-9d1c-5b2f3f7e2a61")


def refused_invitation_id(request_id: uuid.UUID) -> uuid.UUID:
    """The id a refused request is announced under: the same for every redelivery."""
    return uuid.uuid5(_REFUSED_IDS, str(request_id))


def request_handlers(policy: Policy, outbox: Outbox) -> dict[str, Handler]:
    async def requested(event: CloudEvent, conn: asyncpg.Connection) -> None:
        request = event.data
        assert isinstance(request, InvitationRequested)
        try:
            async with conn.transaction():  # a refusal leaves nothing behind (counters included)
                phone = checked_phone(request.phone_e164) if request.phone_e164 else None
                await invite(
                    conn, policy, request.inviter_id, request.request_id, request.channel.value,
                    phone, request.email, request.display_name, request.import_id, event.tenant,
                )  # fmt: skip
        except ApiError as refusal:  # explained, announced, never retried
            await _refused(conn, outbox, event, request, refusal)

    return {InvitationRequested.name: requested}


async def _refused(
    conn: asyncpg.Connection,
    outbox: Outbox,
    event: CloudEvent,
    request: InvitationRequested,
    refusal: ApiError,
) -> None:
    code = refusal_code(refusal)
    announced = InvitationRefused(
        invitation_id=refused_invitation_id(request.request_id), inviter_id=request.inviter_id,
        request_id=request.request_id, import_id=request.import_id, row_number=request.row_number,
        channel=request.channel, phone_e164=request.phone_e164, email=request.email,
        reason_code=code, reason=refusal.message[:500],
    )  # fmt: skip
    await outbox.add(conn, [announced], EventContext.caused_by(event))
    count_refused(code)
    log.info("invitation.refused", request_id=str(request.request_id), reason=code,
             message=refusal.message)  # fmt: skip
