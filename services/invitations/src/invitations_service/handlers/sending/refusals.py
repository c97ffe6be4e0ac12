"""A staged request's refusal, announced: `InvitationRefused` in the request's own context
(caused by its InvitationRequested, with its correlation id), whoever refuses it (a batch's
decisions, or the inviter's closure while it waited)."""

from __future__ import annotations

import structlog
from contacts_events import EventContext, InvitationChannel, InvitationRefused
from contacts_servicekit.domain_errors import DomainError

from invitations_service.domain.invitation import StagedRequest
from invitations_service.domain.policy import refusal_code
from invitations_service.handlers.ports import InvitationsWork
from invitations_service.handlers.sending.requests import refused_invitation_id

log = structlog.get_logger(__name__)


def request_context(row: StagedRequest) -> EventContext:
    """The context of what a staged request causes: caused by its InvitationRequested."""
    return EventContext(
        correlation_id=row.correlation_id, causation_id=str(row.event_id),
        tenant=row.tenant, actor=row.actor,
    )  # fmt: skip


def announce_refusal(work: InvitationsWork, row: StagedRequest, refusal: DomainError) -> None:
    code = refusal_code(refusal)
    announced = InvitationRefused(
        invitation_id=refused_invitation_id(row.request_id), inviter_id=row.inviter_id,
        request_id=row.request_id, import_id=row.import_id, row_number=row.row_number,
        channel=InvitationChannel(row.channel), phone_e164=row.phone_e164,
        email=row.email, reason_code=code, reason=refusal.message[:500],
    )  # fmt: skip
    work.emit_in(request_context(row), announced)
    log.info("invitation.refused", request_id=str(row.request_id), reason=code,
             message=refusal.message)  # fmt: skip
