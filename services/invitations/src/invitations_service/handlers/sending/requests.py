"""InvitationRequested from the importer's "Invite contact" (consumer `invitations.requests`).

The consumer only queues each request (`invitation_requests`, in its inbox transaction, so a
redelivered event is queued once; a whole Kafka batch with one statement, or one at a time when
that batch failed); the request processor (processor.py) handles the
queue a batch at a time. A refused request (a refused number, a country the tenant may not
invite, a daily cap) creates nothing; it is announced as `InvitationRefused` with the reason,
so the importer can show it, and counted in `invitations_refused_total` once committed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

import asyncpg
from contacts_events import InvitationRequested
from contacts_events.envelope import CloudEvent
from contacts_messaging.handlers import EventHandlers, WrongEventData
from contacts_messaging.inbox import BatchHandler

from invitations_service.handlers.sending import queue as requests_queue

_REFUSED_IDS = uuid.UUID("0b6f9a0e-94a4-4d39-9d1c-5b2f3f7e2a61")


def refused_invitation_id(request_id: uuid.UUID) -> uuid.UUID:
    """The id a refused request is announced under: the same for every redelivery."""
    return uuid.uuid5(_REFUSED_IDS, str(request_id))


Staged = Callable[[], None]
"""Called once requests are queued: it wakes the request processor."""

requests = EventHandlers[Staged]()
"""Group `invitations.requests`: each request queued, then the processor woken."""


@requests.on(InvitationRequested)
async def requested(
    request: InvitationRequested, event: CloudEvent, conn: asyncpg.Connection, staged: Staged
) -> None:
    await requests_queue.stage(conn, event, request)
    staged()


def request_batch_handlers(staged: Staged) -> dict[str, BatchHandler]:
    """Queue a batch's requests with one statement, then call `staged` (a failed batch is
    applied again one event at a time, through `requests`)."""

    async def requested_together(events: Sequence[CloudEvent], conn: asyncpg.Connection) -> None:
        queued = [(event, _requested(event)) for event in events]
        await requests_queue.stage_many(conn, queued)
        staged()

    return {InvitationRequested.name: requested_together}


def _requested(event: CloudEvent) -> InvitationRequested:
    if not isinstance(event.data, InvitationRequested):
        raise WrongEventData(
            f"the request batch handles InvitationRequested, but event {event.id} ({event.type}) "
            f"carries {type(event.data).__name__}"
        )
    return event.data
