"""Add Contacts with phone numbers, as the seed tells it, at a desktop browser: numbers
separated by commas and a tab, each status with its icon and words (blue check, red
exclamation mark, green check, and the platform's already a contact, duplicate and own
number with their reasons, in French too), Back to correct the numbers, Invite contact; the
same statuses page read at a phone's width."""

from __future__ import annotations

import pytest
from contacts_testing.platform_client import eventually
from contacts_testing.web_adding import paste_numbers, pasted_statuses
from contacts_testing.web_visitor import DESKTOP, PHONE
from playwright.async_api import Page, expect

pytestmark = pytest.mark.e2e


def rows(page: Page):
    return page.locator("#rows-page tbody tr")


async def expect_status(page: Page, row: int, tone: str, icon: str, words: str) -> None:
    """Row `row` (from 1) shows its status by icon and words, not by colour alone."""
    cell = rows(page).nth(row - 1)
    await expect(cell.locator(f".status-{tone} svg.icon-{icon}")).to_be_visible()
    await expect(cell.locator(".status")).to_have_text(words)


async def test_add_numbers_see_their_statuses_correct_them_and_invite(visitor, client, new_phone):
    ann, bob, cat, probe = [
        await client.register(name, new_phone()) for name in ("Ann", "Bob", "Cat", "Probe")
    ]

    async def importer_knows_bob():
        return await pasted_statuses(client.as_user(probe), bob.phone)

    await eventually(importer_knows_bob, lambda found: found[0].status == "user_added")

    async def cat_added_by_ann():  # so Cat is already Ann's contact (and Ann's number known)
        return await pasted_statuses(client.as_user(ann), f"{cat.phone}, {ann.phone}")

    await eventually(
        cat_added_by_ann, lambda found: [r.status for r in found] == ["user_added", "self"]
    )

    stranger, typo_of = new_phone(), new_phone()
    typo = typo_of[:-1]  # a digit missing: no such number in the UK
    spaced_bob = f"{bob.phone[:3]} {bob.phone[3:7]} {bob.phone[7:]}"
    async with visitor("ann") as person:
        await person.sign_in(ann.phone)
        await paste_numbers(
            person, f"{stranger}, {bob.phone}\t{typo}, {cat.phone}, {ann.phone}, {spaced_bob}"
        )
        page = person.page
        await expect(rows(page)).to_have_count(6)
        await expect_status(page, 1, "blue", "check", "Ready to invite by SMS")
        await expect_status(page, 2, "green", "check-circle", "User added to your contacts")
        await expect_status(page, 3, "red", "exclamation", "Phone number format error")
        await expect(rows(page).nth(2)).to_contain_text(
            "This number does not exist in the numbering plan of the United Kingdom (+44)."
        )
        await expect_status(page, 4, "grey", "check-circle", "Already in your contacts")
        await expect(rows(page).nth(3)).to_contain_text("Already in your contacts.")
        await expect_status(page, 5, "grey", "info", "Your own number")
        await expect(rows(page).nth(4)).to_contain_text("This is your own number.")
        await expect_status(page, 6, "grey", "copy", "Duplicate in this list")
        await expect(rows(page).nth(5)).to_contain_text("Same number as row 2.")
        await person.check("statuses")

        await page.get_by_role("link", name="Français").click()
        await expect(rows(page).nth(2)).to_contain_text(
            "Ce numéro n’existe pas dans le plan de numérotation (Royaume-Uni, +44)."  # noqa: RUF001 - French typography
        )
        await expect(rows(page).nth(5)).to_contain_text("Même numéro que la ligne 2.")
        await expect(rows(page).nth(2)).to_contain_text("Erreur de format du numéro")
        await person.check("statuses-fr")
        await page.get_by_role("link", name="English").click()

        await page.set_viewport_size(PHONE)
        await expect(rows(page).nth(2).locator("td").first).to_be_visible()
        assert await person.fits_the_width()
        await person.check("statuses-phone")
        await page.set_viewport_size(DESKTOP)

        await page.get_by_role("link", name="Back").click()
        numbers = page.get_by_label("Add one phone number, or several separated by commas or tab")
        await expect(numbers).to_have_value(
            "\n".join([stranger, bob.phone, typo, cat.phone, ann.phone, spaced_bob])
        )
        await person.check("add-phone-numbers-again")
        await numbers.fill(f"{stranger}, {typo_of}")
        await page.get_by_role("button", name="Next").click()
        await expect_status(page, 1, "blue", "check", "Ready to invite by SMS")
        await expect_status(page, 2, "blue", "check", "Ready to invite by SMS")
        await page.get_by_role("button", name="Invite contact").click()
        await expect(page.locator("#invite-area")).to_contain_text(
            "2 invitations are on their way by SMS."
        )
        await person.check("statuses-invited")


async def test_refusals_are_told_at_the_field(signed_up):
    page = signed_up.page
    await signed_up.open("/contacts/add/phone")
    await page.get_by_label("Add one phone number, or several separated by commas or tab").fill(
        " , \t "
    )
    await page.get_by_role("button", name="Next").click()
    error = page.locator("#error-numbers")
    await expect(error).to_have_text("Type or paste at least one phone number.")
    await expect(page.locator("#field-numbers")).to_have_attribute("aria-invalid", "true")
    await signed_up.check("add-phone-numbers-refused")
