"""What the contacts service does when an account closes (consumer group `contacts.accounts`,
in the transaction that records the closure): the user leaves every list they are in, each
owner's `ContactRemoved` announced. Contacts added afterwards for or with them are refused
(additions.py holds both accounts open)."""

from __future__ import annotations

import asyncpg
from contacts_events import ContactRemovalReason, ContactRemoved, EventContext, UserDeactivated
from contacts_events.envelope import CloudEvent
from contacts_messaging.handlers import EventHandlers
from contacts_messaging.outbox import Outbox

from contacts_service.adapters import contacts_repository as contacts

closure = EventHandlers[Outbox]()
"""The service's hook in the shared `<service>.accounts` group (accounts/consumer.py)."""


@closure.on(UserDeactivated)
async def remove_from_every_list(
    closed: UserDeactivated, event: CloudEvent, conn: asyncpg.Connection, outbox: Outbox
) -> None:
    owners = await contacts.remove_everywhere(conn, closed.user_id)
    removed = [
        ContactRemoved(owner_id=owner, contact_user_id=closed.user_id,
                       reason=ContactRemovalReason.CONTACT_DEACTIVATED)
        for owner in owners
    ]  # fmt: skip
    await outbox.add(conn, removed, EventContext.caused_by(event))
