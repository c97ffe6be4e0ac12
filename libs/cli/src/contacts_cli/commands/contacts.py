"""`contacts add`, `list`, `archive`, `unarchive`: the caller's contact lists."""

from __future__ import annotations

from typing import Annotated

import typer
from contacts_client import Contact, ContactList, PublicProfile
from rich.table import Table
from rich.text import Text

from contacts_cli.connection import connect
from contacts_cli.options import JsonOption
from contacts_cli.output import output, table
from contacts_cli.paging import PAGE_MAX, first_items

ContactId = Annotated[str, typer.Argument(help="The contact's id, as `contacts list` shows it.")]


def add(
    connect_id: Annotated[
        str, typer.Argument(metavar="CONNECTID", help="As given to you: K7Q-M2X-9HB, any case.")
    ],
    as_json: JsonOption = False,
) -> None:
    """Look a ConnectID up, show whose it is, and add them to your contacts."""
    out = output(as_json)
    with connect() as client:
        found = client.directory.look_up_connect_id(connect_id)
        out.say(profile_text(found))
        added = client.contacts.add_contact(connect_id, add_token=found.add_token)
    out.result(added, Text(f"Added {added.display_name} to your contacts (id {added.contact_id})."))


def profile_text(profile: PublicProfile) -> Text:
    """``Lea Meyer, Acme (company contact point), ConnectID K7Q-M2X-9HB``."""
    words = profile.display_name
    if profile.company_name:
        words += f", {profile.company_name}"
    if profile.is_contact_point:
        words += " (company contact point)"
    return Text(f"{words}, ConnectID {profile.connect_id}")


def list_contacts(
    archived: Annotated[bool, typer.Option("--archived", help="The archived list.")] = False,
    search: Annotated[str | None, typer.Option(help="Only names starting with this text.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Your contacts (or the archived ones), by name."""
    out = output(as_json)
    list_name: ContactList = "archived" if archived else "active"
    with connect() as client:
        page = client.contacts.list_contacts(list_name, search=search, limit=min(limit, PAGE_MAX))
        contacts = first_items(
            page,
            lambda cursor: client.contacts.iter_contacts(
                list_name, search=search, cursor=cursor, limit=PAGE_MAX
            ),
            limit,
        )
    out.result({"items": contacts, "total": page.total}, contacts_table(contacts, page.total))


def contacts_table(contacts: list[Contact], total: int | None) -> Table:
    rows = [
        (c.display_name, c.connect_id or "-", c.company_name or "-", _how(c), c.contact_id)
        for c in contacts
    ]
    title = f"{len(contacts)} of {total} contacts" if total is not None else None
    return table(title, ("name", "ConnectID", "company", "how", "id"), rows)


def _how(contact: Contact) -> str:
    if contact.managed:
        return f"managed ({contact.managed_by or 'company'})"
    return (contact.added_via or "-").replace("_", " ")


def archive(contact_id: ContactId, as_json: JsonOption = False) -> None:
    """Move a contact to the archived list."""
    out = output(as_json)
    with connect() as client:
        contact = client.contacts.archive_contact(contact_id)
    out.result(contact, Text(f"Archived {contact.display_name}."))


def unarchive(contact_id: ContactId, as_json: JsonOption = False) -> None:
    """Move a contact back to the active list."""
    out = output(as_json)
    with connect() as client:
        contact = client.contacts.unarchive_contact(contact_id)
    out.result(contact, Text(f"{contact.display_name} is back in your contacts."))
