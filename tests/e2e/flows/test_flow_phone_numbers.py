"""The seed's "Add contacts with phone numbers", through the running platform: paste numbers,
each gets its status, the registered user is added at once, "Invite contact" sends SMS. Every
step's events are read back from Kafka by an audit consumer, with the request's correlation id."""

from __future__ import annotations

import json

import pytest
from contacts_testing.platform_client import correlation, eventually

pytestmark = pytest.mark.e2e


async def test_pasted_numbers_get_statuses_add_the_user_and_invite_the_others(
    platform, client, audit
):
    olga = await client.register("Olga", "+447400710001")
    finn = await client.register("Finn", "+447400710002")
    pasted = correlation()
    text = "07400 710002, 07400 710003; 0207 123 4567\t+44 7400 710004\n07400 710003"

    async def paste():
        created = await client.as_user(olga, headers=pasted).imports.paste_numbers(text)
        return await client.import_finished(olga, created.import_id)

    # the importer learns of Finn's number from the directory's event, in its own time
    job = await eventually(paste, lambda j: j.counts["user_added"] == 1)
    assert job.counts == {
        "user_added": 1, "ready_to_invite": 2, "invalid": 1, "duplicate_in_import": 1,
        "already_contact": 0, "already_invited": 0, "self": 0,
    }  # fmt: skip
    cid = pasted["X-Correlation-ID"]
    import_id = job.import_id
    await audit.wait_for("ImportStarted", key=import_id, correlation_id=cid)
    rows = await audit.wait_for("ImportRowValidated", key=import_id, correlation_id=cid, count=5)
    assert sorted(e.data.row_number for e in rows) == [1, 2, 3, 4, 5]
    [completed] = await audit.wait_for("ImportCompleted", key=import_id, correlation_id=cid)
    assert completed.data.counts.user_added == 1
    [matched] = await audit.wait_for("ImportRowMatched", key=import_id, correlation_id=cid)
    assert (matched.data.row_number, str(matched.data.matched_user_id)) == (1, finn.user_id)
    [added] = await audit.wait_for("ContactAdded", key=olga.user_id, correlation_id=cid)
    assert str(added.data.contact_user_id) == finn.user_id
    assert added.causationid == str(matched.id)  # contacts added Finn from the match alone
    assert added.data.source == "phone_import"
    await client.until_contacts(olga, ["Finn"])

    invite = correlation()
    invited = await client.as_user(olga, headers=invite).imports.invite_rows(import_id)
    assert invited.model_dump() == {"requested": 2, "skipped": 0}
    again = await client.as_user(olga).imports.invite_rows(import_id)
    assert again.model_dump() == {"requested": 0, "skipped": 2}  # asking twice sends nothing more
    requested = await audit.wait_for(
        "InvitationRequested", key=import_id, correlation_id=invite["X-Correlation-ID"], count=2
    )
    assert {e.data.phone_e164 for e in requested} == {"+447400710003", "+447400710004"}
    sent = await audit.wait_for("InvitationSent", where=lambda e: str(e.data.inviter_id) == olga.user_id, count=2)  # fmt: skip
    assert {e.data.phone_e164 for e in sent} == {"+447400710003", "+447400710004"}
    assert {e.correlationid for e in sent} == {invite["X-Correlation-ID"]}  # that of the invite
    assert {e.causationid for e in sent} == {str(e.id) for e in requested}
    pending = await eventually(lambda: client.pending(olga), lambda items: all(i.send_count == 1 for i in items) and len(items) == 2)  # fmt: skip
    assert {i.destination for i in pending} == {"+447400710003", "+447400710004"}

    lines = (platform.messages_dir / "messages.jsonl").read_text().splitlines()
    to_olgas = [m for m in map(json.loads, lines) if m["to"] in ("+447400710003", "+447400710004")]
    assert sorted(m["to"] for m in to_olgas) == ["+447400710003", "+447400710004"]
    assert all("/invite/" in m["link"] for m in to_olgas)


async def test_a_mistyped_number_is_explained_and_back_lets_the_user_paste_it_again(client, audit):
    pia = await client.register("Pia", "+447400711001")
    imports = client.as_user(pia).imports
    first = await imports.paste_numbers("+44 7400")
    job = await client.import_finished(pia, first.import_id)
    assert job.counts["invalid"] == 1
    [row] = await audit.wait_for("ImportRowValidated", key=job.import_id)
    assert row.data.status == "invalid"
    assert row.data.reason_code == "too_short"
    assert "too short" in row.data.reason
    fixed = await imports.paste_numbers("07400 711002")
    job = await client.import_finished(pia, fixed.import_id)
    assert job.counts["ready_to_invite"] == 1
