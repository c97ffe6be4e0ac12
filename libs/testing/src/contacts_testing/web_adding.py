"""Adding contacts at the web app, the seed's steps as a person takes them (phone numbers,
a ConnectID), and the importer's statuses of a paste through the typed client (to set up
what a browser test needs, such as a number the importer already knows as a user's)."""

from __future__ import annotations

import asyncio
import re
import time

from contacts_client import AsyncContactsPlatform, Row
from playwright.async_api import Locator, expect

from contacts_testing.web_visitor import WebVisitor

PASTE_SECONDS = 30.0


async def pasted_statuses(platform: AsyncContactsPlatform, text: str) -> list[Row]:
    """Paste `text` as the typed client's user; the rows once the import is completed."""
    imported = await platform.imports.paste_numbers(text)
    deadline = time.monotonic() + PASTE_SECONDS
    while not imported.finished:
        if time.monotonic() > deadline:
            raise AssertionError(f"import {imported.import_id} still {imported.status}")
        await asyncio.sleep(0.2)
        imported = await platform.imports.read_import(imported.import_id)
    return (await platform.imports.list_rows(imported.import_id)).items


def way(person: WebVisitor, title: str) -> Locator:
    """One of Add Contacts' three ways (`With phone number`, ...): its words and its Next."""
    return person.page.get_by_role("listitem").filter(
        has=person.page.get_by_role("heading", name=title)
    )


async def open_contacts(person: WebVisitor, menu: str = "Main menu") -> None:
    """Contacts in the top menu (a desktop) or in the `Bottom menu` (a phone)."""
    await (
        person.page.get_by_role("navigation", name=menu)
        .get_by_role("link", name="Contacts")
        .click()
    )


async def paste_numbers(person: WebVisitor, numbers: str) -> None:
    """Contacts (top menu), Add Contacts, Next below With phone number, the numbers, Next:
    the statuses page, each screen checked on the way."""
    await open_contacts(person)
    await person.page.get_by_role("link", name="Add Contacts").click()
    await person.check("add-contacts")
    await way(person, "With phone number").get_by_role("link", name="Next").click()
    await person.check("add-phone-numbers")
    label = "Add one phone number, or several separated by commas or tab"
    await person.page.get_by_label(label).fill(numbers)
    await person.page.get_by_role("button", name="Next").click()
    await expect(person.page.get_by_role("heading", name="Consult the statuses")).to_be_visible()


async def search_connect_id(person: WebVisitor, connect_id: str) -> None:
    """Type a ConnectID and Search; return once its answer replaced what was shown before (a
    click sooner could land on the previous answer's Add to contact, and that answer would then
    be replaced by the search's)."""
    page = person.page
    await page.get_by_label("ConnectID").fill(connect_id)
    async with page.expect_response(
        lambda r: r.request.method == "GET" and "/contacts/add/connect-id" in r.url
    ):
        await page.get_by_role("button", name="Search").click()
    await expect(page.get_by_role("search")).not_to_have_class(re.compile(r"\bhtmx-request\b"))


async def search_and_add(person: WebVisitor, connect_id: str, name: str, screen: str) -> None:
    """Type a ConnectID, Search, see the profile, Add to contact, see it added."""
    await search_connect_id(person, connect_id)
    card = person.page.get_by_role("article")
    await expect(card.get_by_role("heading", name=name)).to_be_visible()
    await expect(card).to_contain_text(connect_id)
    await person.check(f"{screen}-profile")
    await card.get_by_role("button", name="Add to contact").click()
    await expect(person.page.locator("#lookup-result")).to_contain_text(
        "Contact has been added to your contact list."
    )
    await person.check(f"{screen}-added")
