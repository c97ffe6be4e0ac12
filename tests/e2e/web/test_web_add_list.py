"""The seed's "Add contacts with a list" at a real browser: Contacts, Add Contacts, Next below
With .CSV or .XLS file, upload, the columns, Review, Import contacts, the statuses with the
seed's icons and words, Invite contact and the results downloaded; a workbook read from the
sheet the person picks; the refusals at the file's field; the phone layout."""

from __future__ import annotations

import csv
from pathlib import Path

import asyncpg
import pytest
import xlsxwriter
from contacts_testing.platform_client import eventually
from contacts_testing.web_visitor import PHONE, WebVisitor
from playwright.async_api import expect

pytestmark = pytest.mark.e2e

UPLOAD_LABEL = "Upload a file (XLS or CSV) from your computer"
MIB = 1024 * 1024


async def until_the_importer_knows(admin_url: str, phone: str) -> None:
    """A user registered behind the browser's back is a user for the importer (Kafka)."""
    admin = await asyncpg.connect(admin_url)
    sql = "SELECT count(*) FROM importer.registered_users WHERE phone_e164 = $1"
    try:
        await eventually(lambda: admin.fetchval(sql, phone), lambda found: found == 1)
    finally:
        await admin.close()


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as results:
        return list(csv.DictReader(results))


def national(phone: str) -> str:
    """+447400900001 as a person types it in the UK: 07400 900001."""
    return "0" + phone.removeprefix("+44")


async def open_add_list(person: WebVisitor) -> None:
    """Contacts (top menu), Add Contacts, Next below With .CSV or .XLS file."""
    page = person.page
    await (
        page.get_by_role("navigation", name="Main menu")
        .get_by_role("link", name="Contacts")
        .click()
    )
    await page.get_by_role("link", name="Add Contacts").click()
    await person.check("add-contacts-chooser")
    way = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="With .CSV or .XLS file")
    )
    await way.get_by_role("link", name="Next").click()
    await expect(page.get_by_label(UPLOAD_LABEL)).to_be_visible()


async def upload(person: WebVisitor, path: Path) -> None:
    await person.page.get_by_label(UPLOAD_LABEL).set_input_files(path)
    await person.page.get_by_role("button", name="Next").click()


async def review_then_import(person: WebVisitor, screen: str) -> None:
    """Next on the columns, Review (once the rows are read), Import contacts."""
    await person.page.get_by_role("button", name="Next").click()
    heading = person.page.get_by_role("heading", name="Review contacts information")
    await expect(person.page.get_by_role("button", name="Import contacts")).to_be_visible()
    await expect(heading).to_be_visible()
    await person.check(f"{screen}-review")
    await person.page.get_by_role("button", name="Import contacts").click()
    await expect(person.page.get_by_role("heading", name="Consult the statuses")).to_be_visible()
    await expect(person.page.locator("#counts-title")).to_be_visible(timeout=30_000)


async def test_a_csv_list_from_upload_to_invitations_and_results(
    signed_up, client, platform, new_phone, tmp_path
):
    lea = signed_up
    user, ready, invalid = new_phone(), new_phone(), "+44 12"
    await client.register("Ana Known", user)
    await until_the_importer_knows(platform.admin_url, user)
    listed = tmp_path / "my contacts.csv"
    listed.write_text(
        "First name,Last name,Mobile,Email\n"
        f"Ana,Known,{national(user)},ana@example.com\n"
        f"Ben,Ready,{ready},ben@example.com\n"
        f"Cy,Typo,{invalid},cy@example.com\n"
    )
    await open_add_list(lea)
    await lea.check("add-list-upload")
    await upload(lea, listed)

    await expect(lea.page.get_by_role("heading", name="Match the columns")).to_be_visible()
    for label, header in [("Phone number", "Mobile"), ("First name", "First name"),
                          ("Last name", "Last name"), ("Email", "Email")]:  # fmt: skip
        await expect(lea.page.get_by_label(label, exact=True)).to_have_value(header)
    await expect(lea.page.get_by_label("Display name")).to_have_value("")
    await expect(
        lea.page.get_by_role("region", name="The first rows of your file")
    ).to_contain_text("ben@example.com")
    await lea.check("add-list-columns")

    await review_then_import(lea, "add-list")
    main = lea.page.locator("main")
    for icon, words in [("check", "Ready to invite by SMS"),
                        ("exclamation", "Phone number format error"),
                        ("check-circle", "User added to your contacts")]:  # fmt: skip
        badge = main.locator(".status-counts .status").filter(has_text=words)
        await expect(badge.locator(f"svg.icon-{icon}")).to_be_visible()
    await lea.check("add-list-statuses")

    await lea.page.get_by_role("button", name="Invite contact").click()
    await expect(main).to_contain_text("1 invitation is on its way by SMS.")
    await lea.check("add-list-invited")

    async with lea.page.expect_download() as downloading:
        await lea.page.get_by_role("link", name="CSV file (.csv)").click()
    download = await downloading.value
    assert download.suggested_filename == "my contacts-results.csv"
    statuses = {row["first_name"]: row["status"] for row in csv_rows(await download.path())}
    assert statuses == {"Ana": "user_added", "Ben": "ready_to_invite", "Cy": "invalid"}


async def test_a_workbook_read_from_the_sheet_the_person_picks(signed_up, new_phone, tmp_path):
    lea = signed_up
    workbook_path = tmp_path / "teams.xlsx"
    first_team = [("Zoe First", new_phone())]
    second_team = [("Yan Second", new_phone()), ("Xia Second", new_phone()), ("Wim Second", "12")]
    with xlsxwriter.Workbook(workbook_path) as workbook:
        for sheet_name, people in [("Team A", first_team), ("Team B", second_team)]:
            sheet = workbook.add_worksheet(sheet_name)
            sheet.write_row(0, 0, ["Name", "Mobile"])
            for row, person in enumerate(people, start=1):
                sheet.write_row(row, 0, person)

    await lea.open("/contacts/add/file")
    await upload(lea, workbook_path)
    sample = lea.page.get_by_role("region", name="The first rows of your file")
    await expect(sample).to_contain_text("Zoe First")
    await lea.page.get_by_label("Sheet").select_option("Team B")
    await lea.page.get_by_role("button", name="Read this sheet").click()
    await expect(sample).to_contain_text("Yan Second")
    await expect(sample).not_to_contain_text("Zoe First")
    await expect(lea.page.get_by_label("Phone number")).to_have_value("Mobile")
    await lea.check("add-list-workbook-columns")

    await review_then_import(lea, "add-list-workbook")
    await expect(lea.page.locator("#counts-title")).to_have_text("3 numbers")
    await expect(lea.page.locator("main")).to_contain_text("Xia Second")
    await lea.check("add-list-workbook-statuses")


async def test_refusals_at_the_files_field(signed_up, tmp_path):
    lea = signed_up
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    damaged = tmp_path / "damaged.xlsx"
    with xlsxwriter.Workbook(damaged) as workbook:
        workbook.add_worksheet().write_row(0, 0, ["Name", "Mobile"])
    damaged.write_bytes(damaged.read_bytes()[:1500])  # cut before its zip directory
    too_large = tmp_path / "huge.csv"
    with too_large.open("wb") as sparse:
        sparse.truncate(100 * MIB + 1)  # one byte over UPLOAD_MAX_BYTES' default
    await lea.open("/contacts/add/file")
    for path, words, screen in [
        (picture, "This kind of file cannot be read.", "add-list-refused-type"),
        (empty, "This file is empty.", "add-list-refused-empty"),
        (damaged, "This workbook is damaged.", "add-list-refused-damaged"),
        (too_large, "This file is larger than 100 MB", "add-list-refused-size"),
    ]:
        await upload(lea, path)
        await expect(lea.page.locator("#error-file")).to_contain_text(words)
        await expect(lea.page.get_by_label(UPLOAD_LABEL)).to_have_attribute("aria-invalid", "true")
        await lea.check(screen)


async def test_upload_and_columns_at_a_phones_width(visitor, new_phone, tmp_path):
    listed = tmp_path / "phone list.csv"
    listed.write_text(f"Full name,Mobile phone\nPat,{new_phone()}\n")
    async with visitor("pat", viewport=PHONE) as pat:
        await pat.sign_up(new_phone(), "Pat")
        await pat.open("/contacts/add/file")
        await pat.check("add-list-upload-phone")
        await upload(pat, listed)
        await expect(pat.page.get_by_label("Phone number")).to_have_value("Mobile phone")
        await pat.check("add-list-columns-phone")
        assert await pat.fits_the_width()


async def test_a_csv_files_text_encoding_corrected_by_the_person(signed_up, new_phone, tmp_path):
    lea = signed_up
    listed = tmp_path / "windows.csv"
    listed.write_bytes(f"Name,Mobile\nZoë Brontë,{new_phone()}\n".encode("cp1252"))
    await lea.open("/contacts/add/file")
    await upload(lea, listed)
    sample = lea.page.get_by_role("region", name="The first rows of your file")
    await expect(sample).to_contain_text("Zoë Brontë")
    choice = lea.page.locator("summary")
    await expect(choice).to_contain_text("Text read as Western European (Windows-1252).")
    await choice.click()
    await lea.page.get_by_label("Text encoding").select_option(label="Unicode (UTF-8)")
    await lea.page.get_by_role("button", name="Read again").click()
    await expect(lea.page.locator("#error-encoding")).to_contain_text(
        "The file is not written in this encoding"
    )
    await expect(sample).to_contain_text("Zoë Brontë")  # read as it was
    await lea.check("add-list-encoding-refused")
    await lea.page.get_by_label("Text encoding").select_option(label="Cyrillic (Windows-1251)")
    await lea.page.get_by_role("button", name="Read again").click()
    await expect(sample).to_contain_text("Zoл Brontл")
    await expect(choice).to_contain_text("Text read as Cyrillic (Windows-1251).")
