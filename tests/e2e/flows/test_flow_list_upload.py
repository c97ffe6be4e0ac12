"""The seed's "Add contacts with a list": upload a CSV, the columns are recognised, the user
corrects the mapping, reviews the rows, imports, sees the statuses, fixes the file ("Back")
and imports it again without duplicates, then invites."""

from __future__ import annotations

import csv

import pytest
from contacts_client import ColumnMapping
from contacts_testing.platform_client import correlation, eventually

pytestmark = pytest.mark.e2e

FIRST_FILE = (
    "Prénom;Nom;Portable;Téléphone fixe;Courriel\n"
    "Gus;Grey;07400 740002;0207 123 4567;gus@example.com\n"
    "Hana;Hill;07400 74000;;\n"  # one digit short
    "Ivo;Ives;07400 740004;;ivo@example.com\n"
    "Ivo;Again;07400 740004;;\n"
)
FIXED_FILE = FIRST_FILE.replace("07400 74000;", "07400 740003;")
MAPPING = ColumnMapping(
    phone="Portable", display_name=None, first_name="Prénom", last_name="Nom", email="Courriel"
)  # corrected: names from the first and last name columns, no display-name column


async def import_list(client, audit, user, text, replaces=None):
    """Upload, correct the mapping, review, import: the finished import and the start's
    correlation id."""
    uploading = client.as_user(user, headers=correlation()).imports
    job = await uploading.upload_file(text.encode(), filename="contacts.csv", replaces=replaces)
    assert job.headers == ["Prénom", "Nom", "Portable", "Téléphone fixe", "Courriel"]
    assert job.mapping["phone"] == "Portable"  # recognised, the mobile before the landline
    assert job.sample_rows[0][:3] == ["Gus", "Grey", "07400 740002"]
    imports = client.as_user(user).imports
    await imports.confirm_columns(job.import_id, MAPPING)

    await eventually(lambda: imports.read_import(job.import_id), lambda j: j.status == "extracted")
    review = await imports.list_rows(job.import_id)
    assert [(r.first_name, r.raw_phone, r.status) for r in review.items] == [
        ("Gus", "07400 740002", None), ("Hana", text.split("\n")[2].split(";")[2], None),
        ("Ivo", "07400 740004", None), ("Ivo", "07400 740004", None),
    ]  # fmt: skip
    starting = correlation()
    await client.as_user(user, headers=starting).imports.start_import(job.import_id)
    done = await client.import_finished(user, job.import_id)
    cid = starting["X-Correlation-ID"]
    events = await audit.wait_for("ImportRowValidated", key=done.import_id, correlation_id=cid, count=4)  # fmt: skip
    assert len(events) == 4
    await audit.wait_for("ImportCompleted", key=done.import_id, correlation_id=cid)
    return done, cid


async def test_upload_map_review_import_fix_and_import_again_without_duplicates(
    client, audit, tmp_path
):
    kim = await client.register("Kim", "+447400740001")
    gus = await client.register("Gus Grey", "+447400740002")
    await audit.wait_for("UserRegistered", key=gus.user_id)

    async def first_import():
        return await import_list(client, audit, kim, FIRST_FILE)

    first, cid = await eventually(first_import, lambda done: done[0].counts["user_added"] == 1)
    assert first.counts == {
        "user_added": 1, "invalid": 1, "ready_to_invite": 1, "duplicate_in_import": 1,
        "already_contact": 0, "already_invited": 0, "self": 0,
    }  # fmt: skip
    [added] = await audit.wait_for("ContactAdded", key=kim.user_id, correlation_id=cid)
    assert added.data.source == "list_import"
    assert str(added.data.import_id) == str(first.import_id)
    await client.until_contacts(kim, ["Gus Grey"])
    report = await client.as_user(kim).imports.download_error_report(
        first.import_id, tmp_path / "error-report.csv"
    )
    with report.open(newline="", encoding="utf-8") as rejected_rows:
        rejected = list(csv.reader(rejected_rows))
    assert [(r[0], r[4]) for r in rejected] == [
        ("row", "status"),
        ("3", "invalid"),
        ("5", "duplicate_in_import"),
    ]  # row numbers as a spreadsheet shows them, the header being row 1

    # "Back": the corrected file replaces the first import
    second, _ = await import_list(client, audit, kim, FIXED_FILE, replaces=first.import_id)
    assert second.counts == {
        "already_contact": 1, "ready_to_invite": 2, "duplicate_in_import": 1,
        "user_added": 0, "invalid": 0, "already_invited": 0, "self": 0,
    }  # fmt: skip
    inviting = correlation()
    invited = await client.as_user(kim, headers=inviting).imports.invite_rows(second.import_id)
    assert invited.model_dump() == {"requested": 2, "skipped": 0}
    requested = await audit.wait_for("InvitationRequested", key=second.import_id, correlation_id=inviting["X-Correlation-ID"], count=2)  # fmt: skip
    assert {(e.data.phone_e164, e.data.display_name) for e in requested} == {
        ("+447400740003", "Hana Hill"), ("+447400740004", "Ivo Ives")
    }  # fmt: skip
    await eventually(lambda: client.pending(kim), lambda items: len(items) == 2)
    assert len(audit.matching("ContactAdded", key=kim.user_id)) == 1  # Gus was not added twice
