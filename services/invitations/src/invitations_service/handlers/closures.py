"""What the invitations service does when an inviter's account closes (consumer group
`invitations.accounts`, in the transaction that records the closure): their requests still
waiting are dropped, their open invitations cancelled (`InvitationCancelled`, reason
`inviter_deactivated`, with the request id as any cancellation) and the messages queued for
them never sent. Requests that arrive afterwards are refused (`account_closed`), and the
API's invite holds the inviter open until it commits, so nothing is created after the closure.
"""

from __future__ import annotations

import asyncpg
from contacts_events import (
    CancellationReason,
    EventContext,
    InvitationCancelled,
    UserDeactivated,
)
from contacts_events.envelope import CloudEvent
from contacts_messaging.inbox import Handler
from contacts_messaging.outbox import Outbox
from contacts_servicekit.domain_errors import DomainError, NotPermitted

from invitations_service.adapters import invitations_repository as invitations
from invitations_service.handlers.sending import queue as requests_queue

INVITER_CLOSED = "account_closed"


def inviter_closed() -> DomainError:
    """The refusal of a request whose inviter's account is closed (InvitationRefused)."""
    return NotPermitted(INVITER_CLOSED, "The inviter's account was closed: nothing is sent for it.")


def closure_hook(outbox: Outbox) -> Handler:
    async def cancel_everything_of_the_inviter(event: CloudEvent, conn: asyncpg.Connection) -> None:
        closed = event.data
        assert isinstance(closed, UserDeactivated)
        await requests_queue.drop_inviter(conn, closed.user_id)
        cancelled = await invitations.cancel_open_of(conn, closed.user_id)
        events = [
            InvitationCancelled(
                invitation_id=row["invitation_id"], inviter_id=closed.user_id,
                request_id=row["request_id"], reason=CancellationReason.INVITER_DEACTIVATED,
            )
            for row in cancelled
        ]  # fmt: skip
        await outbox.add(conn, events, EventContext.caused_by(event))

    return cancel_everything_of_the_inviter
