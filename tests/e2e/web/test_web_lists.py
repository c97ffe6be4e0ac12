"""The Contacts section's lists at a real browser: the seed's "Archive a contact" and
"Unarchive a contact" in the right-hand sidebar, "You cannot archive contacts managed by your
company" for a colleague, and search and paging in a long list, on a desktop and a phone."""

from __future__ import annotations

import asyncio
import re
import uuid

import pytest
from contacts_client import Contact, NotFound
from contacts_testing.platform_client import STAFF, eventually, outcome
from contacts_testing.web_visitor import PHONE
from playwright.async_api import Locator, Page, expect

pytestmark = pytest.mark.e2e

HOSTILE = "Eve <img src=x onerror=alert(1)>"
LONG = "Zed " + "Averyverylongfamilyname" * 8  # one word of 184 letters: it must wrap
FIRST_NAMES = ["Ada", "Bea", "Cem", "Dov", "Eli", "Fay", "Gus", "Hal", "Ida", "Jon", "Kai", "Lou"]
LAST_NAMES = [
    "Marsh",
    "Nolan",
    "Okafor",
    "Price",
    "Quinn",
    "Rossi",
    "Sato",
    "Tran",
    "Ueda",
    "Vidal",
]


async def until_added(app, connect_id: str) -> Contact:
    """Add by ConnectID once the contacts service has the profile (404 until its projection
    of the directory's events has it)."""
    added = await eventually(
        lambda: outcome(app.contacts.add_contact(connect_id)),
        lambda answer: not isinstance(answer, NotFound),
    )
    assert isinstance(added, Contact), added
    return added


async def open_contacts_from_the_top_menu(page: Page) -> None:
    await page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Contacts").click()  # fmt: skip
    await expect(page.get_by_role("heading", name="Active contacts")).to_be_visible()


async def toggle_archived(page: Page, sidebar: Locator, result: str, archived: bool) -> None:
    """Step 4: in the Archived section of the right sidebar, click on the toggle."""
    switch = sidebar.get_by_role("switch", name="Archived")
    await expect(switch).to_have_attribute("aria-checked", "false" if archived else "true")
    await switch.click()
    await expect(page.locator("#alerts")).to_have_text(result)
    await expect(switch).to_have_attribute("aria-checked", "true" if archived else "false")


async def test_archive_then_unarchive_a_contact_as_the_seed_says(client, visitor, new_phone):
    lea = await client.register("Lea Archer", new_phone())
    eve = await client.register(HOSTILE, new_phone())
    zed = await client.register(LONG, new_phone())
    for contact in (eve, zed):
        await until_added(client.as_user(lea), contact.connect_id)
    await client.until_contacts(lea, [HOSTILE, LONG])
    async with visitor("lea") as browser:
        page = browser.page
        await browser.sign_in(lea.phone)
        # 1. Click on Contacts, in the top menu. 2. Active contacts (the default page).
        await open_contacts_from_the_top_menu(page)
        async with page.expect_navigation():  # the page it is on, loaded again
            await page.get_by_role("navigation", name="Contact lists").get_by_role("link", name="Active contacts").click()  # fmt: skip
        results = page.locator("#results")
        await expect(results.get_by_text(HOSTILE)).to_be_visible()  # text, not an image
        await expect(page.locator("#contacts-count")).to_have_text("2 contacts")
        assert await browser.fits_the_width()  # the long name wraps
        await browser.check("contacts-active")
        # 3. Click on a contact from the list.
        await results.get_by_role("link", name=re.compile("^Eve")).click()
        sidebar = page.get_by_role("complementary", name="Contact details")
        await expect(sidebar.get_by_role("heading", name=HOSTILE)).to_be_visible()
        await expect(sidebar).to_contain_text(eve.connect_id)
        await expect(sidebar).to_contain_text("With their ConnectID")
        await browser.check("contact-sidebar")
        # 4. In the Archived section of the right sidebar, click on the toggle.
        done = "Contact archived: it is now in Archived contacts."
        await toggle_archived(page, sidebar, done, archived=True)
        await expect(results.get_by_text(HOSTILE)).to_have_count(0)  # the list loaded again
        await expect(page.locator("#contacts-count")).to_have_text("1 contact")
        await browser.check("contact-archived")
        assert await client.contact_names(lea, "archived") == [HOSTILE]

        # Unarchive: 1. Contacts in the top menu. 2. Archived contacts. 3. The contact. 4. The toggle.
        await open_contacts_from_the_top_menu(page)
        await page.get_by_role("link", name="Archived contacts").click()
        await expect(page.get_by_role("heading", name="Archived contacts")).to_be_visible()
        await browser.check("contacts-archived")
        await page.locator("#results").get_by_role("link", name=re.compile("^Eve")).click()
        done = "Contact unarchived: it is back in Active contacts."
        await toggle_archived(page, sidebar, done, archived=False)
        await expect(page.locator("#results")).to_contain_text("No archived contacts.")
        await browser.check("contact-unarchived")
        assert await client.contact_names(lea) == [HOSTILE, LONG]


async def test_an_archive_refused_for_a_colleague(client, visitor, new_phone):
    company = await client.as_user(STAFF, "service").directory.create_company("Acme Web")
    cara = await client.register("Cara", new_phone(), company_id=company.company_id)
    dan = await client.register("Dan", new_phone(), company_id=company.company_id)
    await client.until_contacts(cara, ["Dan"])
    async with visitor("cara") as browser:
        page = browser.page
        await browser.sign_in(cara.phone)
        await open_contacts_from_the_top_menu(page)
        dans_link = page.locator("#results").get_by_role("link", name=re.compile("^Dan"))
        await expect(dans_link).to_contain_text("Managed by your company")  # words, not an icon
        await expect(dans_link).to_contain_text("Acme Web")
        await dans_link.click()
        sidebar = page.get_by_role("complementary", name="Contact details")
        switch = sidebar.get_by_role("switch", name="Archived")
        await expect(switch).to_be_disabled()
        await expect(switch).to_have_accessible_description(
            "You cannot archive contacts managed by your company."
        )
        await expect(sidebar).to_contain_text("Managed by your company: a colleague")
        await browser.check("contact-managed")

        # The contacts service refuses it too (409 managed_by_company): the same words.
        token = await page.evaluate("JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token']")  # fmt: skip
        answer = await page.request.post(
            f"{browser.base_url}/contacts/{dan.user_id}/archive",
            headers={"X-CSRF-Token": token, "HX-Request": "true"},
        )
        assert answer.status == 200
        assert "You cannot archive contacts managed by your company." in await answer.text()
        assert await client.contact_names(cara) == ["Dan"]

        await page.get_by_role("link", name="Français").click()
        await dans_link.click()  # the same sidebar, in French
        await expect(page.get_by_role("switch", name="Archivé")).to_have_accessible_description(
            "Vous ne pouvez pas archiver les contacts gérés par votre entreprise."
        )
        await browser.check("contact-managed-fr")


def many_names() -> list[str]:
    return [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]  # 120


async def test_search_and_pages_in_a_long_list_on_a_desktop_and_a_phone(client, visitor, new_phone):
    company = await client.as_user(STAFF, "service").directory.create_company(f"Big {uuid.uuid4().hex[:6]}")  # fmt: skip
    owner = await client.register("Owner Web", new_phone(), company_id=company.company_id)
    names = many_names()
    for start in range(0, len(names), 20):  # 20 at a time: quick, without flooding
        await asyncio.gather(*(client.register(name, new_phone(), company_id=company.company_id)
                               for name in names[start:start + 20]))  # fmt: skip
    await client.until_contacts(owner, sorted(names))
    async with visitor("owner") as browser:
        page = browser.page
        await browser.sign_in(owner.phone)
        items = page.locator("#results .contact-name")
        await expect(page.locator("#contacts-count")).to_have_text("120 contacts")
        await expect(items).to_have_count(50)
        await expect(items.first).to_have_text("Ada Marsh")
        await page.get_by_role("link", name="Next page").click()
        await expect(items.first).to_have_text(sorted(names)[50])
        await expect(page).to_have_url(re.compile(r"cursor="))
        await browser.check("contacts-page-2")
        await page.get_by_role("link", name="Next page").click()
        await expect(items).to_have_count(20)
        await expect(items.last).to_have_text("Lou Vidal")
        await expect(page.get_by_role("link", name="Next page")).to_have_count(0)
        await page.get_by_role("link", name="First page").click()
        await expect(items.first).to_have_text("Ada Marsh")

        await page.get_by_label("Search by name").fill("ida")  # as typed: no Enter, no button
        await expect(page.locator("#contacts-count")).to_have_text("10 contacts match “ida”")
        await expect(items).to_have_count(10)
        await expect(items.first).to_have_text("Ida Marsh")
        await browser.check("contacts-search")
        await page.get_by_label("Search by name").fill("idx")
        await expect(page.locator("#results")).to_contain_text("No contacts match “idx”")
        await browser.open("/contacts?q=Lou")  # the same search as a page (no JavaScript needed)
        await expect(items).to_have_count(10)
        await expect(page.get_by_label("Search by name")).to_have_value("Lou")

    async with visitor("owner-phone", PHONE) as phone:
        page = phone.page
        await phone.sign_in(owner.phone)
        await expect(page.get_by_role("link", name="Add new contact")).to_be_visible()
        await expect(page.get_by_role("link", name="Add Contacts")).to_be_hidden()
        await expect(page.get_by_role("navigation", name="Bottom menu")).to_be_visible()
        assert await phone.fits_the_width()
        await phone.check("contacts-phone")
        await page.locator("#results").get_by_role("link", name=re.compile("^Bea Nolan")).click()
        sidebar = page.get_by_role("complementary", name="Contact details")
        await expect(sidebar.get_by_role("heading", name="Bea Nolan")).to_be_in_viewport()
        assert await phone.fits_the_width()
        await phone.check("contact-sidebar-phone")
