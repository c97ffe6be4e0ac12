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
from contacts_events.base import IntegrationEvent
from contacts_events.envelope import CloudEvent
from contacts_messaging.accounts import store as closed_accounts
from contacts_messaging.handlers import EventHandlers
from contacts_messaging.outbox import Outbox

from contacts_service.adapters import contacts_repository as contacts

_IMPORT_SOURCES = {
    ImportSource.PASTED: ContactSource.PHONE_IMPORT,
    ImportSource.FILE: ContactSource.LIST_IMPORT,
}


additions = EventHandlers[Outbox]()
"""The group's handlers; they announce each contact added through the outbox bound here."""


def accounts_added(data: IntegrationEvent) -> tuple[UUID, ...]:
    """The accounts an addition holds open (`_add`): a batch takes them all first
    (contacts_messaging.accounts.batch_locks)."""
    if isinstance(data, ImportRowMatched):
        return (data.owner_id, data.matched_user_id)
    if isinstance(data, InvitationAccepted):
        return (data.inviter_id, data.invitee_user_id)
    return ()


@additions.on(ImportRowMatched)
async def import_row_matched(
    match: ImportRowMatched, event: CloudEvent, conn: asyncpg.Connection, outbox: Outbox
) -> None:
    source = _IMPORT_SOURCES[match.source]
    await _add(conn, outbox, event, match.owner_id, match.matched_user_id, source,
               import_id=match.import_id)  # fmt: skip


@additions.on(InvitationAccepted)
async def invitation_accepted(
    accepted: InvitationAccepted, event: CloudEvent, conn: asyncpg.Connection, outbox: Outbox
) -> None:
    inviter, invitee, invitation = (
        accepted.inviter_id,
        accepted.invitee_user_id,
        accepted.invitation_id,
    )
    source = ContactSource.INVITATION
    await _add(conn, outbox, event, inviter, invitee, source, invitation_id=invitation)
    await _add(conn, outbox, event, invitee, inviter, source, invitation_id=invitation)


async def _add(
    conn: asyncpg.Connection, outbox: Outbox, event: CloudEvent, owner: UUID, contact: UUID,
    source: ContactSource, import_id: UUID | None = None, invitation_id: UUID | None = None,
) -> None:  # fmt: skip
    """Add `contact` to `owner`'s list and announce it, unless either account is closed or
    the contact is already there (then nothing happens: no second event)."""
    if owner == contact or await closed_accounts.hold_open(conn, (owner, contact)):
        return  # a closed account neither gets nor becomes a contact (closures.py)
    if not await contacts.insert(conn, owner, contact, source, import_id, invitation_id):
        return
    added = ContactAdded(
        owner_id=owner, contact_user_id=contact, source=source,
        import_id=import_id, invitation_id=invitation_id,
    )  # fmt: skip
    await outbox.add(conn, [added], EventContext.caused_by(event))
