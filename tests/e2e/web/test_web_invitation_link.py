"""An invitation end to end: Ann invites a number from its statuses page, the SMS carries a
link to the web app, Bob opens it at another browser and signs up, and each finds the other
in their Active contacts."""

from __future__ import annotations

import asyncio
import time

import pytest
from contacts_testing.web_adding import paste_numbers
from contacts_testing.web_visitor import WebVisitor
from playwright.async_api import expect

pytestmark = pytest.mark.e2e
WAIT_SECONDS = 60


async def invitation_link(person: WebVisitor, phone: str) -> str:
    """The link of the invitation SMS to `phone` (the development channel's file)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        for message in person.messages():
            if message["to"] == phone and message.get("kind") == "invitation":
                return str(message["link"])
        await asyncio.sleep(0.2)
    raise AssertionError(f"no invitation SMS to {phone} within {WAIT_SECONDS} s")


async def shows_in_contacts(person: WebVisitor, name: str) -> None:
    """Active contacts holds `name`, once the platform's events have come through."""
    await person.open("/contacts")
    deadline = time.monotonic() + WAIT_SECONDS
    while name not in await person.page.locator("main").inner_text():
        assert time.monotonic() < deadline, f"{name} not in {person.name}'s contacts"
        await asyncio.sleep(0.5)
        await person.page.reload()
    await expect(person.page.get_by_role("heading", name="Active contacts")).to_be_visible()


async def test_invitee_signs_up_through_the_link_and_both_are_contacts(visitor, client, new_phone):
    ann = await client.register("Ann Inviter", new_phone())
    bob_phone = new_phone()
    async with visitor("ann") as inviter:
        await inviter.sign_in(ann.phone)
        await paste_numbers(inviter, bob_phone)
        await inviter.page.get_by_role("button", name="Invite contact").click()
        await expect(inviter.page.locator("#invite-area")).to_contain_text(
            "1 invitation is on its way by SMS."
        )
        await inviter.check("statuses-invited-one")
        link = await invitation_link(inviter, bob_phone)
        assert link.startswith(f"{inviter.base_url}/invite/")

        async with visitor("bob") as invitee:
            await invitee.page.goto(link)
            await expect(
                invitee.page.get_by_role("heading", name="You are invited")
            ).to_be_visible()
            await invitee.check("invitation-link")
            await invitee.sign_up(bob_phone, "Bob Invitee", invitation_link=link)
            await shows_in_contacts(invitee, "Ann Inviter")
            await invitee.check("invitee-contacts")

        await shows_in_contacts(inviter, "Bob Invitee")
        await inviter.check("inviter-contacts")
