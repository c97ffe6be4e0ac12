"""Each user's contacts (contacts service, /v1/contacts): lists, add by ConnectID, archive."""

from __future__ import annotations

from uuid import UUID

from contacts_client.call import Call, Flow, model, present, segment
from contacts_client.models.base import Page
from contacts_client.models.contacts import Contact, ContactList
from contacts_client.models.directory import LookedUp
from contacts_client.operation import Group, S, operation, pages
from contacts_client.resources.directory import look_up_connect_id


def list_contacts(
    list_name: ContactList = "active", *, search: str | None = None, cursor: str | None = None,
    limit: int = 50,
) -> Call[Page[Contact]]:  # fmt: skip
    """One page of the active contacts (personal ones, the company's members and contact
    points) or the archived ones, by display name; ``search``: a name prefix."""
    params = {"list": list_name, "q": search, "cursor": cursor, "limit": limit}
    return Call("GET", "contacts", "/v1/contacts", model(Page[Contact]), params=params)


def add_contact(connect_id: str, add_token: str | None = None) -> Flow[Contact]:
    """Add a user or contact point by ConnectID (as typed: any case, with or without hyphens).
    Adding needs the ``add_token`` of a look-up of that ConnectID: without one, the client
    looks it up first."""
    if add_token is None:
        found: LookedUp = yield look_up_connect_id(connect_id)
        add_token = found.add_token
    body = present(connect_id=connect_id, add_token=add_token)
    added: Contact = yield Call(
        "POST", "contacts", "/v1/contacts", model(Contact), json=body, creates=True
    )
    return added


def read_contact(contact_id: UUID | str) -> Call[Contact]:
    """One contact: profile, how and when it was added, archived or not, managed or not."""
    return Call("GET", "contacts", f"/v1/contacts/{segment(contact_id)}", model(Contact))


def archive_contact(contact_id: UUID | str) -> Call[Contact]:
    """Move a contact to the archived list (again: no change). A contact your company manages
    is refused (409 ``managed_by_company``)."""
    path = f"/v1/contacts/{segment(contact_id)}/archive"
    return Call("POST", "contacts", path, model(Contact), idempotent=True)


def unarchive_contact(contact_id: UUID | str) -> Call[Contact]:
    """Move a contact back to the active list (again: no change)."""
    path = f"/v1/contacts/{segment(contact_id)}/unarchive"
    return Call("POST", "contacts", path, model(Contact), idempotent=True)


class Contacts(Group[S]):
    """The caller's contact lists."""

    list_contacts = operation(list_contacts)
    iter_contacts = pages(list_contacts)  # every contact of the list, page after page
    add_contact = operation(add_contact)
    read_contact = operation(read_contact)
    archive_contact = operation(archive_contact)
    unarchive_contact = operation(unarchive_contact)
