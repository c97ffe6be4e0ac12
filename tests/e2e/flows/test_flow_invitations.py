"""The seed's pending invitations (resend, delete) and "invitee joins": invite by SMS and email,
resend after the cool-down (refused inside it, with the reason), delete one, and the invitees
who register become contacts of the inviter with nobody clicking anything."""

from __future__ import annotations

import asyncio
import json

import pytest
from contacts_testing.platform_client import correlation, eventually

pytestmark = pytest.mark.e2e


def messages_to(platform, destination):
    path = platform.messages_dir / "messages.jsonl"
    lines = path.read_text().splitlines() if path.exists() else []
    return [m for m in map(json.loads, lines) if m["to"] == destination]


async def test_pending_resend_delete_and_the_invitees_join(platform, client, audit):
    lea = await client.register("Lea", "+447400750001")
    by_sms, by_email, by_gone = correlation(), correlation(), correlation()
    resending, deleted = correlation(), correlation()
    sms = await client.invitations.post("/v1/invitations", json={"channel": "sms", "phone": "+447400750002", "name": "Max"}, headers={**lea.auth, **by_sms})  # fmt: skip
    mail = await client.invitations.post("/v1/invitations", json={"channel": "email", "email": "noa@example.com"}, headers={**lea.auth, **by_email})  # fmt: skip
    gone = await client.invitations.post("/v1/invitations", json={"channel": "sms", "phone": "+447400750004"}, headers={**lea.auth, **by_gone})  # fmt: skip
    assert sms.status_code == mail.status_code == gone.status_code == 201, sms.text + mail.text
    twice = await client.invitations.post("/v1/invitations", json={"channel": "sms", "phone": "+447400750002"}, headers=lea.auth)  # fmt: skip
    assert twice.status_code == 200 and twice.json()["invitation_id"] == sms.json()["invitation_id"]
    sms_id, mail_id, gone_id = (r.json()["invitation_id"] for r in (sms, mail, gone))

    sent = await eventually(lambda: client.pending(lea), lambda items: len(items) == 3 and all(i["send_count"] == 1 for i in items))  # fmt: skip
    assert {i["destination"] for i in sent} == {"+447400750002", "noa@example.com", "+447400750004"}
    for invitation_id, asked in ((sms_id, by_sms), (mail_id, by_email), (gone_id, by_gone)):
        [sent_by] = await audit.wait_for("InvitationSent", key=invitation_id)
        assert sent_by.correlationid == asked["X-Correlation-ID"]  # that of the invite
    assert len(messages_to(platform, "+447400750002")) == 1
    assert len(messages_to(platform, "noa@example.com")) == 1

    early = await client.invitations.post(f"/v1/invitations/{sms_id}/resend", headers=lea.auth)
    assert early.status_code == 429, early.text
    assert int(early.headers["Retry-After"]) >= 1
    assert "minute" in early.json()["detail"] or "second" in early.json()["detail"]
    await asyncio.sleep(3.5)  # the cool-down of this platform (conftest)
    again = await client.invitations.post(f"/v1/invitations/{sms_id}/resend", headers={**lea.auth, **resending})  # fmt: skip
    assert again.status_code == 202, again.text
    [resent] = await audit.wait_for("InvitationResent", key=sms_id)
    assert resent.data.resend_count == 1
    assert resent.correlationid == resending["X-Correlation-ID"]  # that of the resend

    async def messages_to_max():
        return messages_to(platform, "+447400750002")

    await eventually(messages_to_max, lambda found: len(found) == 2)

    removed = await client.invitations.delete(f"/v1/invitations/{gone_id}", headers={**lea.auth, **deleted})  # fmt: skip
    assert removed.status_code == 204
    [cancelled] = await audit.wait_for("InvitationCancelled", key=gone_id, correlation_id=deleted["X-Correlation-ID"])  # fmt: skip
    assert cancelled.data.reason == "deleted_by_inviter"
    assert {i["invitation_id"] for i in await client.pending(lea)} == {sms_id, mail_id}

    max_ = await client.register("Max", "+447400750002")
    noa = await client.register("Noa", "+447400750003", email="noa@example.com")
    await client.register("Ola", "+447400750004")  # the deleted invitation is never accepted
    for invitation_id, invitee in ((sms_id, max_), (mail_id, noa)):
        [accepted] = await audit.wait_for("InvitationAccepted", key=invitation_id)
        assert str(accepted.data.invitee_user_id) == invitee.user_id
        [added] = await audit.wait_for("ContactAdded", key=lea.user_id, where=lambda e, u=invitee: str(e.data.contact_user_id) == u.user_id)  # fmt: skip
        assert added.data.source == "invitation"
        await audit.wait_for("ContactAdded", key=invitee.user_id)
        await client.until_contacts(invitee, ["Lea"])
    await client.until_contacts(lea, ["Max", "Noa"])
    assert await client.pending(lea) == []
    assert audit.matching("InvitationAccepted", key=gone_id) == []
