"""What the contacts service does when an account closes (consumer group `contacts.accounts`,
in the transaction that records the closure): the user leaves every list they are in, each
owner's `ContactRemoved` announced. Contacts added afterwards for or with them are refused
(additions.py holds both accounts open)."""

from __future__ import annotations

import asyncpg
from contacts_events import ContactRemovalReason, ContactRemoved, EventContext, UserDeactivated
from contacts_events.envelope import CloudEvent
from contacts_messaging.inbox import Handler
from contacts_messaging.outbox import Outbox

from contacts_service.adapters import contacts_repository as contacts


def closure_hook(outbox: Outbox) -> Handler:
    async def remove_from_every_list(event: CloudEvent, conn: asyncpg.Connection) -> None:
        closed = event.data
        assert isinstance(closed, UserDeactivated)
        owners = await contacts.remove_everywhere(conn, closed.user_id)
        removed = [
            ContactRemoved(owner_id=owner, contact_user_id=closed.user_id,
                           reason=ContactRemovalReason.CONTACT_DEACTIVATED)
            for owner in owners
        ]  # fmt: skip
        await outbox.add(conn, removed, EventContext.caused_by(event))

    return remove_from_every_list
