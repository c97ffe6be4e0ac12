"""The typed client against the running contacts, importer and invitations services: add by
ConnectID, archive and unarchive; paste and upload, map, review, import, invite, the error
report; invitations, their cool-down and deletion, a tenant's destination countries."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from contacts_client import ApiError, ColumnMapping, Conflict, NotFound, RateLimited
from contacts_testing.platform_client import eventually, outcome

from .conftest import Platform

pytestmark = pytest.mark.e2e

LISTING = b"Name;Mobile\nGus Grey;07400 791002\nHana Hill;07400 79100\nIvo Ives;07400 791004\n"


async def test_add_by_connect_id_list_archive_and_unarchive(platform: Platform) -> None:
    backend = await platform.backend()
    ana = await backend.users.register_user("Ana", "+447400791101")
    ben = await backend.users.register_user("Ben", "+447400791102")
    client = platform.as_user(ana.user_id)

    added = await eventually(  # NotFound until the contacts service has heard of Ben
        lambda: outcome(client.contacts.add_contact(ben.connect_id.lower())),
        lambda answer: not isinstance(answer, NotFound),
    )
    archived = await client.contacts.archive_contact(ben.user_id)

    assert [c.display_name async for c in client.contacts.iter_contacts("archived")] == ["Ben"]
    assert (await client.contacts.list_contacts(search="Be")).items == []
    assert (await client.contacts.unarchive_contact(ben.user_id)).archived is False
    assert (await client.contacts.read_contact(ben.user_id)).added_via == "connect_id"
    assert (getattr(added, "contact_id", None), archived.archived) == (ben.user_id, True)


async def test_paste_upload_map_review_import_invite_and_the_error_report(
    platform: Platform, tmp_path: Path
) -> None:
    backend = await platform.backend()
    kim = await backend.users.register_user("Kim", "+447400791001")
    imports = platform.as_user(kim.user_id).imports

    pasted = await imports.paste_numbers("+447400791010, 07400 791011", default_region="GB")
    done = await eventually(lambda: imports.read_import(pasted.import_id), lambda j: j.finished)
    assert done.total_rows == 2
    uploaded = await imports.upload_file(LISTING, filename="contacts.csv")
    assert (uploaded.headers, uploaded.sample_rows[0]) == (["Name", "Mobile"], ["Gus Grey", "07400 791002"])  # fmt: skip
    await imports.confirm_columns(uploaded.import_id, ColumnMapping(phone="Mobile", display_name="Name"))  # fmt: skip
    await eventually(lambda: imports.read_import(uploaded.import_id), lambda j: j.status == "extracted")  # fmt: skip
    review = [row.raw_phone async for row in imports.iter_rows(uploaded.import_id, limit=2)]
    await imports.start_import(uploaded.import_id)
    imported = await eventually(lambda: imports.read_import(uploaded.import_id), lambda j: j.finished)  # fmt: skip
    invited = await imports.invite_rows(uploaded.import_id)
    refusals = await imports.list_invitation_refusals(uploaded.import_id)
    report = await imports.download_error_report(uploaded.import_id, tmp_path / "errors.csv")

    assert review[:2] == ["07400 791002", "07400 79100"]
    assert imported.counts is not None and imported.counts["invalid"] == 1
    assert (invited.requested, refusals.items) == (2, [])
    assert [row[0] for row in csv.reader(report.read_text().splitlines())] == ["row", "3"]
    ready = await imports.list_rows(uploaded.import_id, status="ready_to_invite")
    assert [row.display_name for row in ready.items] == ["Gus Grey", "Ivo Ives"]


async def test_list_imports_pages_with_a_cursor(platform: Platform) -> None:
    """Needs the importer of issue 15 (`{"items", "next_cursor"}`; a bare list before)."""
    backend = await platform.backend()
    lou = await backend.users.register_user("Lou", "+447400791201")
    imports = platform.as_user(lou.user_id).imports
    made = [await imports.paste_numbers(f"+4474007912{n:02}") for n in range(3)]

    listed = [job.import_id async for job in imports.iter_imports(limit=2)]

    assert listed == [job.import_id for job in reversed(made)]


async def test_invite_resend_within_the_cool_down_delete_and_destination_countries(
    platform: Platform,
) -> None:
    company, lea = await platform.company("Invitations Ltd", "Lea", "+447400791301")
    invitations = platform.as_user(lea.user_id).invitations

    sms = await invitations.create_invitation(phone="+447400791302", name="Tom")
    mail = await invitations.create_invitation(email="tom@example.com")
    cooling = await eventually(  # 409 while its first SMS is being sent
        lambda: outcome(invitations.resend_invitation(sms.invitation_id)),
        lambda answer: not isinstance(answer, Conflict),
    )
    pending = [i.invitation_id async for i in invitations.iter_invitations(limit=1)]
    await invitations.delete_invitation(sms.invitation_id)

    assert isinstance(cooling, RateLimited) and cooling.retry_after
    assert mail.channel == "email"
    assert pending == [mail.invitation_id, sms.invitation_id]
    assert [i.invitation_id for i in (await invitations.list_invitations()).items] == [mail.invitation_id]  # fmt: skip

    countries = await eventually(  # 404 until the service has read the membership's event
        lambda: outcome(invitations.read_destination_countries(company.company_id)),
        lambda answer: not isinstance(answer, ApiError) and answer.member_countries,
    )
    assert not isinstance(countries, ApiError)
    replaced = await invitations.replace_destination_countries(company.company_id, ["GB", "FR"])
    await invitations.reset_destination_countries(company.company_id)
    reset = await invitations.read_destination_countries(company.company_id)

    assert countries.member_countries == ["GB"]
    assert (replaced.explicit, sorted(replaced.countries)) == (True, ["FR", "GB"])
    assert (reset.explicit, reset.countries) == (False, ["GB"])
