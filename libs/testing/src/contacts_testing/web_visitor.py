"""A person at a real browser on the web app: signs up and in through its pages (reading the
SMS code where the development channel writes it), and checks every page it visits: no
serious or critical axe-core violation, no console error (a Content-Security-Policy refusal
is one), nothing loaded from another host, and a screenshot saved as a test artefact.

    async with web_visitor(platform.url("web"), platform.messages_dir, "lea") as lea:
        await lea.sign_up("+447400750001", "Lea")
        await lea.check("contacts")               # axe, console, screenshot
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from contacts_testing.browser import CHROMIUM, LOCAL_HOSTS

if TYPE_CHECKING:
    from playwright.async_api import ConsoleMessage, Error, Page, Route

ARTEFACTS = (
    Path(os.environ.get("TEST_ARTEFACTS_DIR", Path(__file__).parents[4] / "test-artifacts")) / "web"
)
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
_CODE = re.compile(r"\b(\d{6})\b")
_REFUSAL_STATUS = re.compile(
    r"^Failed to load resource: the server responded with a status of 4\d\d"
)


class PageProblems(AssertionError):
    """A page failed a check every page must pass."""


@dataclass
class WebVisitor:
    page: Page
    base_url: str
    messages_dir: Path
    name: str
    refused: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    async def open(self, path: str) -> None:
        await self.page.goto(f"{self.base_url}{path}")

    async def sign_up(
        self, phone: str, display_name: str, invitation_link: str | None = None
    ) -> None:
        """Sign up through the pages (an invitation's link first, when given)."""
        await self.page.goto(invitation_link or f"{self.base_url}/sign-in")
        await self._send_code(phone)
        await self.page.get_by_role("button", name="Sign in").click()
        await self.page.get_by_label("Your name").fill(display_name)
        await self.page.get_by_role("button", name="Create my account").click()
        await self.page.wait_for_url("**/contacts")

    async def sign_in(self, phone: str) -> None:
        await self.page.goto(f"{self.base_url}/sign-in")
        await self._send_code(phone)
        await self.page.get_by_role("button", name="Sign in").click()
        await self.page.wait_for_url("**/contacts")

    async def _send_code(self, phone: str) -> None:
        since = time.time()
        await self.page.get_by_label("Mobile number").fill(phone)
        await self.page.get_by_role("button", name="Send me a code").click()
        await self.page.get_by_label("Code").fill(await self.code_sent_to(phone, since))

    async def code_sent_to(self, phone: str, since: float, seconds: float = 30) -> str:
        """The code of the newest sign-in SMS to `phone` written after `since`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for message in reversed(self.messages()):
                if message["to"] == phone and message.get("kind") == "sign_in_code":
                    written = message.get("written_at", "")
                    if _epoch(written) >= since - 1 and (found := _CODE.search(message["text"])):
                        return found.group(1)
            await asyncio.sleep(0.2)
        raise AssertionError(f"no sign-in code for {phone} within {seconds} s")

    def messages(self) -> list[dict[str, Any]]:
        path = self.messages_dir / "messages.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    async def fits_the_width(self) -> bool:
        """Nothing on the page as it now stands is wider than the window. A link's click
        returns before the next page has loaded, and a layout read while its stylesheets are
        still on their way is laid out without them: the page's load comes first."""
        await self.page.wait_for_load_state("load")
        return bool(
            await self.page.evaluate(
                "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
            )
        )

    async def check(self, screen: str) -> None:
        """The page as it is now passes every page's checks; its screenshot is saved."""
        from axe_playwright_python.async_playwright import Axe

        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        await self.page.screenshot(path=ARTEFACTS / f"{screen}.png", full_page=True)
        results = await Axe().run(self.page)
        blocking = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v.get("impact") in BLOCKING_IMPACTS
        ]
        problems = (
            blocking
            + [f"console: {e}" for e in self.console_errors]
            + [f"loaded from another host: {url}" for url in self.refused]
        )
        self.console_errors.clear()
        self.checked.append(screen)
        if problems:
            raise PageProblems(f"{screen} ({self.page.url}):\n  " + "\n  ".join(problems))

    def _note_console(self, message: ConsoleMessage) -> None:
        # a page refusing input answers 4xx on purpose (the form again, with the reason);
        # Chromium logs that status as an error, which it is not
        if message.type == "error" and not _REFUSAL_STATUS.match(message.text):
            self.console_errors.append(message.text)

    def _note_page_error(self, error: Error) -> None:
        self.console_errors.append(str(error))

    async def _only_local(self, route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            await route.continue_()
        else:
            self.refused.append(route.request.url)
            await route.abort("blockedbyclient")


def _epoch(iso: str) -> float:
    try:
        return datetime.fromisoformat(iso).timestamp()
    except ValueError:
        return 0.0


@asynccontextmanager
async def web_visitor(
    base_url: str, messages_dir: Path, name: str, viewport: dict[str, int] | None = None
) -> AsyncIterator[WebVisitor]:
    """A fresh browser (its own cookies) at `viewport` (default: desktop) on 127.0.0.1 only."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM)
        context = await browser.new_context(viewport=viewport or DESKTOP, accept_downloads=True)  # type: ignore[arg-type]
        visitor = WebVisitor(await context.new_page(), base_url, messages_dir, name)
        await context.route("**/*", visitor._only_local)
        visitor.page.on("console", visitor._note_console)
        visitor.page.on("pageerror", visitor._note_page_error)
        try:
            yield visitor
        finally:
            await browser.close()
