"""Use cases of the owner: add by ConnectID, lists, detail, archive and unarchive. Each takes
the unit of work of one transaction (handlers/ports.py): no SQL, no HTTP, testable alone."""

from __future__ import annotations

from uuid import UUID

from contacts_events import ContactAdded, ContactArchived, ContactSource, ContactUnarchived
from contacts_events.connect_id import ConnectId
from contacts_messaging.accounts.guard import AccountClosed
from contacts_servicekit.domain_errors import Conflicting, Missing

from contacts_service.domain.model import Contact, Cursor, ListName, Page
from contacts_service.domain.names import prefix_range
from contacts_service.handlers.ports import ContactsWork

_MANAGED = {"colleague": "a colleague", "company_contact_point": "a company contact point"}


async def add_by_connect_id(work: ContactsWork, owner_id: UUID, connect_id: ConnectId) -> Contact:
    found = await work.directory.user_by_connect_id(connect_id)
    if found is None:
        if await work.directory.is_contact_point(connect_id):
            raise Conflicting(
                "contact_point",
                "This ConnectID is a company contact point: it is shared with the company's "
                "members and cannot be added as a personal contact.",
                "connect_id",
            )
        raise _unknown_connect_id()
    if found.user_id == owner_id:
        raise Conflicting("self", "This is your own ConnectID.", "connect_id")
    # The projection's `active` may lag the closure: the account lock is what decides, and
    # holding both open makes a closure wait for this insert, so it removes what it adds.
    closed = await work.accounts.hold_open((owner_id, found.user_id))
    if owner_id in closed:
        raise AccountClosed
    if closed:
        raise _unknown_connect_id()
    added = await work.contacts.insert(owner_id, found.user_id, ContactSource.CONNECT_ID)
    if added is None:
        raise Conflicting(
            "already_contact", f"{found.display_name} is already in your contacts.", "connect_id"
        )
    work.emit(
        ContactAdded(
            owner_id=owner_id, contact_user_id=found.user_id, source=ContactSource.CONNECT_ID
        )
    )
    return added


async def list_contacts(
    work: ContactsWork, owner_id: UUID, which: ListName, prefix: str | None,
    cursor: str | None, limit: int,
) -> Page:  # fmt: skip
    name_range = prefix_range(prefix) if prefix else None
    after = Cursor.decode(cursor) if cursor else None
    items, total = await work.views.page_and_total(owner_id, which, name_range, after, limit + 1)
    more = len(items) > limit
    items = items[:limit]
    next_cursor = Cursor(items[-1].sort_name, items[-1].contact_id).encode() if more else None
    return Page(items, total, next_cursor)


async def detail(work: ContactsWork, owner_id: UUID, contact_id: UUID) -> Contact:
    """One contact of the owner (personal or managed); Missing for anything else."""
    found = await work.views.one(owner_id, contact_id)
    if found is None:
        raise Missing("contact_not_found", "You have no contact with this id.")
    return found


async def set_archived(
    work: ContactsWork, owner_id: UUID, contact_id: UUID, archived: bool
) -> Contact:
    """Move a personal contact between the lists. Idempotent; managed contacts are refused."""
    # Locked first (FOR UPDATE), then read: a repeat that waited for the first archive answers
    # with the state that one committed, not the one it saw before waiting.
    locked = await work.contacts.lock(owner_id, contact_id)
    current = locked or await detail(work, owner_id, contact_id)  # a managed one, or Missing
    if current.managed_by is not None:
        if not archived:
            return current  # managed contacts are always active
        raise Conflicting(
            "managed_by_company",
            f"This contact is managed by your company ({_MANAGED[current.managed_by]}) "
            "and cannot be archived.",
        )
    if current.archived == archived:
        return current
    await work.contacts.set_archived(owner_id, contact_id, archived)
    event_type = ContactArchived if archived else ContactUnarchived
    work.emit(event_type(owner_id=owner_id, contact_user_id=contact_id))
    return current._replace(archived=archived)  # the row is locked: nothing else changed


def _unknown_connect_id() -> Missing:
    return Missing("connect_id_not_found", "No user has this ConnectID.", "connect_id")
