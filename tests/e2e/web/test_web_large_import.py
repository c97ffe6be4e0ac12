"""A 100,000-row list at a real browser: uploaded through the page, the progress bar moving
while the numbers are checked (the web app's relay of the importer's progress stream), the
counts per status as the importer's API gives them, and both results files downloaded
through the page. A second tab that leaves while the import runs ends its relay, and with it
the importer's stream."""

from __future__ import annotations

import asyncio
import csv
import time
from collections import Counter
from pathlib import Path

import fastexcel
import pytest
from contacts_testing.bulk_mix import BulkMix
from contacts_testing.platform_client import eventually
from contacts_testing.web_visitor import WebVisitor
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import expect

pytestmark = pytest.mark.e2e

ROWS = 100_000
UPLOAD_LABEL = "Upload a file (XLS or CSV) from your computer"
LABELS = {
    "ready_to_invite": "Ready to invite by SMS",
    "invalid": "Phone number format error",
    "duplicate_in_import": "Duplicate in this list",
}
BAR_VALUE = "() => document.getElementById('progress-bar')?.value ?? null"


def expected_counts(mix: BulkMix) -> Counter[str]:
    """The mix's statuses when none of its numbers is a user's (nobody registered here)."""
    return Counter("ready_to_invite" if s == "user_added" else s for s in mix.statuses.values())


async def bar_values_until_done(person: WebVisitor, seconds: float = 240) -> list[float]:
    """The progress bar's value, read every 100 ms until the page shows the final counts."""
    values: list[float] = []
    deadline = time.monotonic() + seconds
    while not await person.page.locator("#counts-title").is_visible():
        assert time.monotonic() < deadline, f"not done within {seconds} s; values {values}"
        try:
            value = await person.page.evaluate(BAR_VALUE)
        except PlaywrightError:  # the page reloading with the results
            value = None
        if value is not None:
            values.append(value)
        await asyncio.sleep(0.1)
    return values


def logged(log: Path, *parts: str) -> bool:
    return any(all(part in line for part in parts) for line in log.read_text().splitlines())


async def until_logged(log: Path, *parts: str) -> None:
    """A line of `log` holds every one of `parts` (within 10 s)."""

    async def found() -> bool:
        return logged(log, *parts)

    await eventually(found, bool, seconds=10)


async def upload_and_review(person: WebVisitor, listed: Path) -> None:
    """The list uploaded, its guessed columns confirmed, Review once its rows are read."""
    page = person.page
    await person.open("/contacts/add/file")
    await page.get_by_label(UPLOAD_LABEL).set_input_files(listed)
    await page.get_by_role("button", name="Next").click()
    await expect(page.get_by_label("Phone number")).to_have_value("Mobile")
    await page.get_by_role("button", name="Next").click()
    await expect(page.get_by_role("button", name="Import contacts")).to_be_visible(timeout=60_000)


async def test_a_100000_row_list_its_progress_counts_and_results(
    visitor, client, platform, new_phone, tmp_path
):
    mix = BulkMix(ROWS, block="7712")
    listed = tmp_path / "large list.csv"
    listed.write_bytes(mix.csv())
    owner = await client.register("Owner", new_phone())
    async with visitor("owner") as person:
        page = person.page
        await person.sign_in(owner.phone)
        await upload_and_review(person, listed)
        await expect(page.locator("main")).to_contain_text("100,000 rows will be imported.")
        await page.get_by_role("button", name="Import contacts").click()
        await expect(page.locator("#import-progress")).to_be_visible()
        import_id = page.url.rsplit("/", 1)[-1]

        leaving = await page.context.new_page()  # a second tab that goes away meanwhile
        async with leaving.expect_response("**/progress/stream"):
            await leaving.goto(page.url)
        await person.check("large-import-progress")
        await leaving.close()
        values = await bar_values_until_done(person)

        moving = {value for value in values if 0 < value < 100}
        assert len(moving) >= 2, f"the bar never moved: {values}"
        imported = await client.as_user(owner).imports.read_import(import_id)
        counts = {status: rows for status, rows in (imported.counts or {}).items() if rows}
        assert counts == expected_counts(mix)
        for status, rows in counts.items():
            shown = page.locator(".status-counts li").filter(has_text=LABELS[status])
            await expect(shown.locator("strong")).to_have_text(f"{rows:,}")
        await person.check("large-import-statuses")

        for name, kind in [("CSV file (.csv)", "csv"), ("Excel workbook (.xlsx)", "xlsx")]:
            async with page.expect_download() as downloading:
                await page.get_by_role("link", name=name).click()
            download = await downloading.value
            assert download.suggested_filename == f"large list-results.{kind}"
            saved = tmp_path / download.suggested_filename
            await download.save_as(saved)
            if kind == "csv":
                with saved.open(encoding="utf-8-sig", newline="") as results:
                    assert sum(1 for _row in csv.DictReader(results)) == ROWS
            else:
                assert fastexcel.read_excel(saved).load_sheet(0).height == ROWS

    web, importer = platform.services["web"].log_path, platform.services["importer"].log_path
    await until_logged(web, "web.progress_relay_ended", import_id, '"ended": "final"')
    # the tab that left: its relay ended, and so did the importer's stream it held open
    await until_logged(web, "web.progress_relay_ended", import_id, '"ended": "client_left"')
    await until_logged(importer, "import.progress_stream_ended", import_id, '"client_left": true')


async def test_without_the_stream_the_statuses_page_asks_until_done(
    visitor, client, new_phone, tmp_path
):
    mix = BulkMix(30_000, block="7713")
    listed = tmp_path / "list.csv"
    listed.write_bytes(mix.csv())
    owner = await client.register("Owner", new_phone())
    async with visitor("owner") as person:
        polls: list[str] = []
        person.page.on("request", lambda request: polls.append(request.url))
        await person.page.route("**/progress/stream", lambda route: route.abort())
        await person.sign_in(owner.phone)
        await upload_and_review(person, listed)
        await person.page.get_by_role("button", name="Import contacts").click()
        await expect(person.page.locator("#import-progress")).to_be_visible()
        await bar_values_until_done(person)
        for status, rows in expected_counts(mix).items():
            shown = person.page.locator(".status-counts li").filter(has_text=LABELS[status])
            await expect(shown.locator("strong")).to_have_text(f"{rows:,}")
        assert any(url.endswith("/progress-bar") for url in polls)
