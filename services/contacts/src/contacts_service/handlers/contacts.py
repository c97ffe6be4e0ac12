"""Use cases of the owner: add by ConnectID, lists, detail, archive and unarchive."""

from __future__ import annotations

from uuid import UUID

import asyncpg
from contacts_events import (
    ContactAdded,
    ContactArchived,
    ContactSource,
    ContactUnarchived,
    EventContext,
)
from contacts_events.connect_id import ConnectId
from contacts_messaging.accounts import store as closed_accounts
from contacts_messaging.accounts.guard import AccountClosed
from contacts_messaging.outbox import Outbox
from contacts_servicekit.domain_errors import Conflicting, Missing

from contacts_service.adapters import contacts_repository as contacts
from contacts_service.adapters import listing, projection
from contacts_service.domain.model import Contact, Cursor, ListName, Page
from contacts_service.domain.names import prefix_range

_MANAGED = {"colleague": "a colleague", "company_contact_point": "a company contact point"}


async def add_by_connect_id(
    conn: asyncpg.Connection,
    outbox: Outbox,
    context: EventContext,
    owner_id: UUID,
    connect_id: ConnectId,
) -> Contact:
    found = await projection.find_user_by_connect_id(conn, connect_id)
    if found is None:
        if await projection.is_contact_point(conn, connect_id):
            raise Conflicting(
                "contact_point",
                "This ConnectID is a company contact point: it is shared with the company's "
                "members and cannot be added as a personal contact.",
                "connect_id",
            )
        raise _unknown_connect_id()
    contact_id: UUID = found["user_id"]
    if contact_id == owner_id:
        raise Conflicting("self", "This is your own ConnectID.", "connect_id")
    # The projection's `active` may lag the closure: the account lock is what decides, and
    # holding both open makes a closure wait for this insert, so it removes what it adds.
    closed = await closed_accounts.hold_open(conn, (owner_id, contact_id))
    if owner_id in closed:
        raise AccountClosed
    if closed:
        raise _unknown_connect_id()
    if not await contacts.insert(conn, owner_id, contact_id, ContactSource.CONNECT_ID):
        raise Conflicting(
            "already_contact", f"{found['display_name']} is already in your contacts.", "connect_id"
        )
    event = ContactAdded(
        owner_id=owner_id, contact_user_id=contact_id, source=ContactSource.CONNECT_ID
    )
    await outbox.add(conn, [event], context)
    return await detail(conn, owner_id, contact_id)


async def list_contacts(
    conn: asyncpg.Connection,
    owner_id: UUID,
    which: ListName,
    prefix: str | None,
    cursor: str | None,
    limit: int,
) -> Page:
    name_range = prefix_range(prefix) if prefix else None
    after = Cursor.decode(cursor) if cursor else None
    items, total = await listing.page_and_total(conn, owner_id, which, name_range, after, limit + 1)
    more = len(items) > limit
    items = items[:limit]
    next_cursor = Cursor(items[-1].sort_name, items[-1].contact_id).encode() if more else None
    return Page(items, total, next_cursor)


async def detail(conn: asyncpg.Connection, owner_id: UUID, contact_id: UUID) -> Contact:
    """One contact of the owner (personal or managed); 404 for anything else."""
    found = await listing.one(conn, owner_id, contact_id)
    if found is None:
        raise Missing("contact_not_found", "You have no contact with this id.")
    return found


async def set_archived(
    conn: asyncpg.Connection,
    outbox: Outbox,
    context: EventContext,
    owner_id: UUID,
    contact_id: UUID,
    archived: bool,
) -> Contact:
    """Move a personal contact between the lists. Idempotent; managed contacts are refused."""
    # Locked first (FOR UPDATE), then read: a repeat that waited for the first archive answers
    # with the state that one committed, not the one it saw before waiting.
    locked = await contacts.state(conn, owner_id, contact_id)
    current = await detail(conn, owner_id, contact_id)
    if current.managed_by is not None:
        if not archived:
            return current  # managed contacts are always active
        raise Conflicting(
            "managed_by_company",
            f"This contact is managed by your company ({_MANAGED[current.managed_by]}) "
            "and cannot be archived.",
        )
    if locked == ("archived" if archived else "active"):
        return current
    await contacts.set_archived(conn, owner_id, contact_id, archived)
    event_type = ContactArchived if archived else ContactUnarchived
    await outbox.add(conn, [event_type(owner_id=owner_id, contact_user_id=contact_id)], context)
    return await detail(conn, owner_id, contact_id)


def _unknown_connect_id() -> Missing:
    return Missing("connect_id_not_found", "No user has this ConnectID.", "connect_id")
