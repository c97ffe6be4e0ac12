"""Names are text, never markup: the security suite's hostile names (script and image tags,
SQL, right-to-left scripts) shown by the web app as typed, running nothing, in the header,
the contact list and the contact's sidebar."""

from __future__ import annotations

import pytest
from contacts_testing.platform_client import eventually
from playwright.async_api import expect

pytestmark = pytest.mark.e2e

HOSTILE_NAMES = [
    "Robert'); DROP TABLE users;--",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "名前 ✓ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 שלום مرحبا",  # noqa: RUF001 - look-alike letters on purpose
    '"><svg onload=alert(1)>',
    "{{ 7*7 }} ${7*7} %(x)s",
    "W" * 100,
]


async def test_hostile_names_render_as_text_and_run_nothing(visitor, client, new_phone):
    owner = await client.register("<b>Owner</b> {{ name }}", new_phone())
    for name in HOSTILE_NAMES:
        contact = await client.register(name, new_phone())

        async def add(connect_id: str = contact.connect_id) -> int:
            return (await client.add_contact(owner, connect_id)).status_code

        await eventually(add, lambda status: status == 201)  # once the contacts service knows it
    async with visitor("owner") as browser:
        dialogs: list[str] = []
        browser.page.on("dialog", lambda dialog: dialogs.append(dialog.message))
        await browser.sign_in(owner.phone)
        await expect(browser.page.locator(".account-name")).to_have_text("<b>Owner</b> {{ name }}")
        for name in HOSTILE_NAMES:
            await expect(browser.page.locator("main")).to_contain_text(name)
        assert await browser.page.locator("main img, main svg[onload], main script").count() == 0
        await browser.check("contacts-hostile-names")
        assert dialogs == []
