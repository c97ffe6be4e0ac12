"""Add Contact with ConnectID, as the seed tells it: at a desktop browser (Contacts, Add
Contacts, Next below With ConnectID, paste, Search, Add to contact) with each refusal in
words, and at a phone (Contacts from the bottom menu, Add new contact, the same steps) with
44 px targets and nothing wider than the screen."""

from __future__ import annotations

import re

import pytest
from contacts_events.connect_id import display, generate
from contacts_testing.platform_client import eventually
from contacts_testing.web_adding import (
    open_contacts,
    search_and_add,
    search_connect_id,
    way,
)
from contacts_testing.web_visitor import PHONE
from playwright.async_api import expect

pytestmark = pytest.mark.e2e
LOOK_UPS_AT_MOST = 80  # the directory's burst is 30 look-ups per user


async def registered_and_known(client, new_phone, name: str):
    """A user the contacts service knows already (it learns of new users by their event)."""
    user, probe = await client.register(name, new_phone()), await client.register("P", new_phone())

    async def add() -> int:
        return (await client.add_contact(probe, user.connect_id)).status_code

    await eventually(add, lambda status: status == 201)
    return user


def mistyped(connect_id: str) -> str:
    """`connect_id` with its first two different neighbours swapped (its check symbol tells)."""
    chars = list(connect_id.replace("-", ""))
    first = next(i for i in range(len(chars) - 2) if chars[i] != chars[i + 1])
    chars[first], chars[first + 1] = chars[first + 1], chars[first]
    return "".join(chars)


async def test_add_by_connect_id_at_a_desktop_and_its_refusals(visitor, client, new_phone):
    ann = await client.register("Ann", new_phone())
    bob = await registered_and_known(client, new_phone, "Bob <i>Builder</i>")
    async with visitor("ann") as person:
        page = person.page
        await person.sign_in(ann.phone)
        await open_contacts(person)
        await page.get_by_role("link", name="Add Contacts").click()
        await way(person, "With ConnectID").get_by_role("link", name="Next").click()
        await expect(page.get_by_text("Copy and paste a ConnectID")).to_be_visible()
        await person.check("add-connect-id")
        await search_and_add(person, bob.connect_id, "Bob <i>Builder</i>", "add-connect-id")
        await page.get_by_role("link", name="See your contacts").click()
        await expect(page.locator("main")).to_contain_text("Bob <i>Builder</i>")

        await page.go_back()
        refusals = [
            (bob.connect_id, "This person is already in your contacts."),
            (ann.connect_id, "This is your own ConnectID."),
        ]
        for connect_id, words in refusals:
            await search_connect_id(person, connect_id)
            await page.get_by_role("button", name="Add to contact").click()
            await expect(page.locator("#lookup-result")).to_have_text(words)
        await person.check("add-connect-id-refused")
        for connect_id, words in [
            (display(generate()), "Nobody has this ConnectID. Please check it."),
            (mistyped(bob.connect_id), "This is not a valid ConnectID: a character is probably"),
            (bob.connect_id[:-1], "A ConnectID has 9 letters and digits"),
        ]:
            await search_connect_id(person, connect_id)
            await expect(page.locator("#lookup-result")).to_contain_text(words)
        await person.check("add-connect-id-not-found")

        search = f"{person.base_url}/contacts/add/connect-id?connect_id={bob.connect_id}"
        for _attempt in range(LOOK_UPS_AT_MOST):
            if "Too many attempts" in await (await page.request.get(search)).text():
                break
        await page.goto(search)
        await expect(page.locator("#lookup-result")).to_contain_text(
            re.compile(r"Too many attempts\. Please try again in \d+ minutes?\.")
        )
        await person.check("add-connect-id-limit")


async def test_add_new_contact_at_a_phone(visitor, client, new_phone):
    ann = await client.register("Ann", new_phone())
    bob = await registered_and_known(client, new_phone, "Bob Phone")
    async with visitor("ann", viewport=PHONE) as person:
        page = person.page
        await person.sign_in(ann.phone)
        await open_contacts(person, "Bottom menu")
        await person.check("contacts-phone")
        await page.get_by_role("link", name=re.compile("^Add (new contact|Contacts)$")).click()
        if page.url.endswith("/contacts/add"):  # until the contacts page links the flow itself
            await person.check("add-contacts-phone")
            await way(person, "With ConnectID").get_by_role("link", name="Next").click()
        await expect(page.get_by_role("heading", name="Add new contact")).to_be_visible()
        await person.check("add-connect-id-phone")
        for target in [page.get_by_label("ConnectID"), page.get_by_role("button", name="Search")]:
            assert (await target.bounding_box())["height"] >= 44
        await search_and_add(person, bob.connect_id, "Bob Phone", "add-connect-id-phone")
        assert await person.fits_the_width()
