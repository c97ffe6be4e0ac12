"""InvitationRequested from the importer's "Invite contact" (consumer `invitations.requests`)."""

from __future__ import annotations

import asyncpg
import structlog
from contacts_events import InvitationRequested
from contacts_events.envelope import CloudEvent
from contacts_messaging.inbox import Handler
from contacts_servicekit.errors import ApiError

from invitations_service.domain.policy import Policy, checked_phone
from invitations_service.handlers.inviting import invite

log = structlog.get_logger(__name__)


def request_handlers(policy: Policy) -> dict[str, Handler]:
    async def requested(event: CloudEvent, conn: asyncpg.Connection) -> None:
        request = event.data
        assert isinstance(request, InvitationRequested)
        try:
            async with conn.transaction():
                phone = checked_phone(request.phone_e164) if request.phone_e164 else None
                await invite(
                    conn, policy, request.inviter_id, request.request_id, request.channel.value,
                    phone, request.email, request.display_name, request.import_id,
                )  # fmt: skip
        except ApiError as refusal:  # a refused destination or a cap: explained, never retried
            log.warning("invitation.refused", request_id=str(request.request_id), reason=refusal.code,
                        message=refusal.message)  # fmt: skip

    return {InvitationRequested.name: requested}
