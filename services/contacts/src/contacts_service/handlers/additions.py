"""Contacts other services' events create (consumer group `contacts.additions`): an import's
row that matched a user (`ImportRowMatched` on `importer.matches`, which holds only those rows:
the group never reads every `ImportRowValidated` of an import), an accepted invitation (both
ways). Each exactly once: the inbox skips redeliveries, and a contact that already exists is
left as it is (no second event).
Nothing is added for or with a closed account: an event about one that was already on its
way when the account closed changes nothing."""

from __future__ import annotations

from uuid import UUID

import asyncpg
from contacts_events import (
    ContactAdded,
    ContactSource,
    EventContext,
    ImportRowMatched,
    ImportSource,
    InvitationAccepted,
)
from contacts_events.envelope import CloudEvent
from contacts_messaging.accounts import store as closed_accounts
from contacts_messaging.inbox import Handler
from contacts_messaging.outbox import Outbox

from contacts_service.adapters import contacts_repository as contacts

_IMPORT_SOURCES = {
    ImportSource.PASTED: ContactSource.PHONE_IMPORT,
    ImportSource.FILE: ContactSource.LIST_IMPORT,
}


def addition_handlers(outbox: Outbox) -> dict[str, Handler]:
    async def add(
        conn: asyncpg.Connection, event: CloudEvent, owner: UUID, contact: UUID,
        source: ContactSource,
        import_id: UUID | None = None, invitation_id: UUID | None = None,
    ) -> None:  # fmt: skip
        if owner == contact or await closed_accounts.hold_open(conn, (owner, contact)):
            return  # a closed account neither gets nor becomes a contact (closures.py)
        if not await contacts.insert(conn, owner, contact, source, import_id, invitation_id):
            return
        added = ContactAdded(
            owner_id=owner, contact_user_id=contact, source=source,
            import_id=import_id, invitation_id=invitation_id,
        )  # fmt: skip
        await outbox.add(conn, [added], EventContext.caused_by(event))

    async def import_row_matched(event: CloudEvent, conn: asyncpg.Connection) -> None:
        match = event.data
        assert isinstance(match, ImportRowMatched)
        source = _IMPORT_SOURCES[match.source]
        await add(
            conn, event, match.owner_id, match.matched_user_id, source, import_id=match.import_id
        )

    async def invitation_accepted(event: CloudEvent, conn: asyncpg.Connection) -> None:
        accepted = event.data
        assert isinstance(accepted, InvitationAccepted)
        inviter, invitee, invitation = (
            accepted.inviter_id,
            accepted.invitee_user_id,
            accepted.invitation_id,
        )
        await add(conn, event, inviter, invitee, ContactSource.INVITATION, invitation_id=invitation)
        await add(conn, event, invitee, inviter, ContactSource.INVITATION, invitation_id=invitation)

    return {
        ImportRowMatched.name: import_row_matched,
        InvitationAccepted.name: invitation_accepted,
    }
