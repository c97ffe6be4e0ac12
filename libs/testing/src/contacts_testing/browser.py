"""A real browser for the pages the services serve (the API docs now, the web app next):
Debian's Chromium (`apt-get install chromium`, in scripts/setup.sh; on Ubuntu, Playwright's
own) driven by Playwright for Python, on a network of 127.0.0.1 only.

Every request for another host is refused and noted, so a page that would load a script, a
font or a stylesheet from a CDN (or send anything anywhere) is caught even where the machine
is online; console errors are noted too (a Content-Security-Policy refusal is one).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.async_api import ConsoleMessage, Page, Route

# Debian's Chromium; where there is none (Ubuntu ships Chromium as a snap only), the one
# `playwright install chromium` downloaded (scripts/setup.sh runs it there): None.
CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})


@dataclass
class LocalPage:
    """A browser page that may reach 127.0.0.1 only."""

    page: Page
    refused: list[str] = field(default_factory=list)  # URLs of other hosts it tried to load
    console_errors: list[str] = field(default_factory=list)

    async def only_local(self, route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            await route.continue_()
        else:
            self.refused.append(route.request.url)
            await route.abort("blockedbyclient")

    def note(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)


@pytest.fixture
async def local_page() -> AsyncIterator[LocalPage]:
    """A fresh page of a headless Chromium that refuses every request off 127.0.0.1."""
    from playwright.async_api import async_playwright  # only the browser tests need it

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM)
        context = await browser.new_context()
        local = LocalPage(await context.new_page())
        await context.route("**/*", local.only_local)
        local.page.on("console", local.note)
        local.page.on("pageerror", lambda error: local.console_errors.append(str(error)))
        try:
            yield local
        finally:
            await browser.close()
