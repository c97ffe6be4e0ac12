"""What the invitations service does when an inviter's account closes (consumer group
`invitations.accounts`, in the transaction that records the closure): their requests still
waiting (or set aside after a failure) are refused (`InvitationRefused`, reason
`account_closed`, as a request arriving later is: whoever saw an `InvitationRequested` sees
its end), their open invitations cancelled (`InvitationCancelled`, reason
`inviter_deactivated`, with the request id as any cancellation) and the messages queued for
them never sent. The API's invite holds the inviter open until it commits, so nothing is
created after the closure.
"""

from __future__ import annotations

import uuid

import asyncpg
import structlog
from contacts_events import (
    CancellationReason,
    EventContext,
    InvitationCancelled,
    UserDeactivated,
)
from contacts_events.envelope import CloudEvent
from contacts_messaging.handlers import EventHandlers
from contacts_messaging.outbox import Outbox
from contacts_servicekit.domain_errors import DomainError, NotPermitted

from invitations_service.adapters.unit_of_work import PostgresInvitationsWork
from invitations_service.handlers.ports import InvitationsWork
from invitations_service.handlers.sending.refusals import announce_refusal

INVITER_CLOSED = "account_closed"
log = structlog.get_logger(__name__)


def inviter_closed() -> DomainError:
    """The refusal of a request whose inviter's account is closed (InvitationRefused)."""
    return NotPermitted(INVITER_CLOSED, "The inviter's account was closed: nothing is sent for it.")


async def close_inviter(work: InvitationsWork, inviter_id: uuid.UUID) -> None:
    """Refuse the inviter's waiting requests and cancel their open invitations."""
    for waiting in await work.requests.take_inviters(inviter_id):
        try:
            announce_refusal(work, waiting, inviter_closed())
        except ValueError as error:  # a request set aside as unmakeable can be unsayable too
            log.error("invitation.refusal_not_announced", request_id=str(waiting.request_id),
                      reason=INVITER_CLOSED, error=str(error)[:500])  # fmt: skip
    cancelled = await work.invitations.cancel_open_of(inviter_id)
    work.emit(
        *(
            InvitationCancelled(
                invitation_id=i.invitation_id, inviter_id=inviter_id, request_id=i.request_id,
                reason=CancellationReason.INVITER_DEACTIVATED,
            )
            for i in cancelled
        )
    )  # fmt: skip


closure = EventHandlers[Outbox]()
"""The service's hook in the shared `<service>.accounts` group (contacts_messaging.accounts)."""


@closure.on(UserDeactivated)
async def cancel_everything_of_the_inviter(
    closed: UserDeactivated, event: CloudEvent, conn: asyncpg.Connection, outbox: Outbox
) -> None:
    work = PostgresInvitationsWork(conn)
    await close_inviter(work, closed.user_id)
    await work.write_events(outbox, EventContext.caused_by(event))
