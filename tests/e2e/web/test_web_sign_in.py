"""Sign-up, sign-out and sign-in by phone number and code, at a real browser; the session
cookie's flags; a wrong code and a bad number refused in words at their fields."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

pytestmark = pytest.mark.e2e


async def test_sign_up_sign_out_and_sign_in_again(visitor, new_phone):
    phone = new_phone()
    async with visitor("lea") as lea:
        await lea.open("/")
        await expect(lea.page).to_have_url(f"{lea.base_url}/sign-in?next=/contacts")
        await lea.check("sign-in")
        await lea.page.get_by_label("Mobile number").fill("+44 12")
        await lea.page.get_by_role("button", name="Send me a code").click()
        await expect(lea.page.locator("#error-phone")).to_be_visible()
        await lea.check("sign-in-bad-number")

        await lea.sign_up(phone, "Léa <b>Martin</b>")
        await expect(lea.page.get_by_role("heading", name="Active contacts")).to_be_visible()
        await expect(lea.page.locator(".account-name")).to_have_text(
            "Léa <b>Martin</b>"
        )  # text, not markup
        await lea.check("contacts-empty")
        [cookie] = [c for c in await lea.page.context.cookies() if c["name"] == "session"]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

        await lea.page.get_by_role("button", name="Sign out").click()
        await expect(lea.page).to_have_url(f"{lea.base_url}/sign-in")
        await lea.open("/contacts")  # the old cookie opens nothing any more
        await expect(lea.page).to_have_url(f"{lea.base_url}/sign-in?next=/contacts")

        await lea.page.get_by_label("Mobile number").fill(phone)
        await lea.page.get_by_role("button", name="Send me a code").click()
        await lea.page.get_by_label("Code").fill("000000")
        await lea.page.get_by_role("button", name="Sign in").click()
        await expect(lea.page.locator("#error-code")).to_contain_text("not right")
        await lea.check("sign-in-wrong-code")
        await lea.sign_in(phone)
        await expect(lea.page.locator(".account-name")).to_have_text("Léa <b>Martin</b>")


async def test_pages_in_french(visitor):
    async with visitor("noe") as noe:
        await noe.open("/sign-in")
        await noe.page.get_by_role("link", name="Français").click()
        await expect(
            noe.page.get_by_role("heading", name="Se connecter ou s’inscrire")  # noqa: RUF001 - French typography
        ).to_be_visible()
        await expect(noe.page.locator("html")).to_have_attribute("lang", "fr")
        await noe.check("sign-in-fr")
