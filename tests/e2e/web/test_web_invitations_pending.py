"""The seed's "Resend an invitation request" at a real browser: Contacts, Pending invitations,
Resend (refused inside the cool-down, with when to try again, and sent after it), and the
cross icon to delete one after a confirmation step; on a desktop and a phone."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from contacts_testing.platform_client import eventually
from contacts_testing.web_visitor import PHONE
from playwright.async_api import Page, expect

pytestmark = pytest.mark.e2e

COOLDOWN = "You sent this invitation a short while ago. You can resend it in"


async def resend_until_the_cool_down_refuses(page: Page, destination: str) -> str:
    """Click Resend until the answer is the cool-down's refusal; its words. The invitations
    were created a moment ago, but a slow machine may have let the cool-down pass: then a
    resend goes out, and it starts the cool-down again (while its message is being sent the
    answer is "being sent right now")."""
    alerts = page.locator("#alerts")
    for _ in range(10):
        await alerts.evaluate("region => { region.textContent = '' }")
        await page.get_by_role("button", name=f"Resend the invitation to {destination}").click()
        await expect(alerts).not_to_be_empty()
        words = await alerts.inner_text()
        if words.startswith(COOLDOWN):
            return words
        await asyncio.sleep(0.3)
    raise AssertionError(f"never refused inside the cool-down; last: {words}")


async def test_resend_in_and_after_the_cool_down_and_delete_with_the_cross(
    client, visitor, new_phone
):
    lea = await client.register("Lea Inviter", new_phone())
    to_max, to_ola, to_noa = new_phone(), new_phone(), f"noa-{uuid.uuid4().hex[:8]}@example.com"
    invitations = client.as_user(lea).invitations
    await invitations.create_invitation(phone=to_max, name="Max <b>Bold</b>")
    await invitations.create_invitation(email=to_noa, name="Noa")
    gone = await invitations.create_invitation(phone=to_ola)
    await eventually(lambda: client.pending(lea), lambda found: all(i.send_count == 1 for i in found))  # fmt: skip
    async with visitor("lea") as browser:
        page = browser.page
        await browser.sign_in(lea.phone)
        # 1. Click on Contacts, in the top menu. 2. Click on Pending invitations.
        await page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Contacts").click()  # fmt: skip
        await page.get_by_role("link", name="Pending invitations").click()
        await expect(page.get_by_role("heading", name="Pending invitations")).to_be_visible()
        max_row = page.locator(".invitation", has_text=to_max)
        await expect(max_row).to_contain_text("Max <b>Bold</b>")  # text, not markup
        await expect(max_row).to_contain_text("SMS")
        await expect(max_row).to_contain_text("Sent 1 time")
        await expect(page.locator(".invitation", has_text=to_noa)).to_contain_text("Email")
        await browser.check("invitations")

        # 3. Click on Resend: inside the cool-down it is refused, in words saying when.
        refused = await resend_until_the_cool_down_refuses(page, to_max)
        assert refused.endswith("seconds.") or refused.endswith("second."), refused
        await browser.check("invitations-resend-refused")
        await asyncio.sleep(3.5)  # the cool-down of this platform (conftest)
        sends_before = await sends_to(client, lea, to_max)  # any earlier resend has gone by now
        await page.get_by_role("button", name=f"Resend the invitation to {to_max}").click()
        await expect(page.locator("#alerts")).to_have_text(
            f"The invitation to {to_max} is being sent again."
        )
        await expect(max_row).to_contain_text("Sending again now")
        await eventually(lambda: sends_to(client, lea, to_max), lambda sent: sent > sends_before)
        await browser.check("invitations-resent")

        # Tips: the cross icon deletes the invitation, after a confirmation step.
        await page.get_by_role("button", name=f"Delete the invitation to {to_noa}").click()
        await expect(page.locator(".confirming")).to_contain_text(
            f"Delete the invitation to {to_noa}?"
        )
        await page.get_by_role("link", name="Cancel").click()  # changed my mind
        await expect(page.locator(".invitation", has_text=to_noa)).to_contain_text("Email")
        await page.get_by_role("button", name=f"Delete the invitation to {to_ola}").click()
        await expect(page.locator(".confirming")).to_contain_text(to_ola)
        await browser.check("invitations-delete-step")
        await page.get_by_role("button", name="Delete", exact=True).click()
        await expect(page.locator("#alerts")).to_have_text(f"The invitation to {to_ola} was deleted.")  # fmt: skip
        await expect(page.locator(".invitation", has_text=to_ola)).to_have_count(0)
        await browser.check("invitations-deleted")
        assert {i.destination for i in await client.pending(lea)} == {to_max, to_noa}

        await browser.open(f"/invitations/{gone.invitation_id}/delete")  # no longer pending
        await expect(page.get_by_role("heading", name="Pending invitations")).to_be_visible()
        await expect(page.locator(".alert")).to_contain_text("This invitation is no longer pending")

    async with visitor("lea-phone", PHONE) as phone:
        await phone.sign_in(lea.phone)
        await phone.page.get_by_role("navigation", name="Bottom menu").get_by_role("link", name="Invitations").click()  # fmt: skip
        await expect(phone.page.locator(".invitation")).to_have_count(2)
        assert await phone.fits_the_width()
        await phone.check("invitations-phone")


async def test_delete_without_javascript_is_a_small_form_page(client, visitor, new_phone):
    lea = await client.register("Lea Nojs", new_phone())
    invited = await client.as_user(lea).invitations.create_invitation(phone=new_phone())
    async with visitor("lea") as browser:
        await browser.sign_in(lea.phone)
        await browser.open(f"/invitations/{invited.invitation_id}/delete")  # the cross's form
        await expect(browser.page.get_by_role("heading", name="Delete the invitation")).to_be_visible()  # fmt: skip
        await browser.check("invitation-delete-page")
        await browser.page.get_by_role("button", name="Delete", exact=True).click()
        await expect(browser.page.locator(".alert")).to_have_text(
            f"The invitation to {invited.destination} was deleted."
        )
        assert await client.pending(lea) == []


async def sends_to(client, user, destination: str) -> int:
    [invitation] = [i for i in await client.pending(user) if i.destination == destination]
    return invitation.send_count
