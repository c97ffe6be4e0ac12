"""The seed's pending invitations (resend, delete) and "invitee joins": invite by SMS and email,
resend after the cool-down (refused inside it, with the reason), delete one, and the invitees
who register become contacts of the inviter with nobody clicking anything."""

from __future__ import annotations

import asyncio
import json

import pytest
from contacts_client import ApiError
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

    def leas_app(headers=None):  # each request with the correlation id given
        return client.as_user(lea, headers=headers)

    sms = await leas_app(by_sms).invitations.create_invitation(channel="sms", phone="+447400750002", name="Max")  # fmt: skip
    mail = await leas_app(by_email).invitations.create_invitation(channel="email", email="noa@example.com")  # fmt: skip
    gone = await leas_app(by_gone).invitations.create_invitation(channel="sms", phone="+447400750004")  # fmt: skip
    sms_id, mail_id, gone_id = (str(i.invitation_id) for i in (sms, mail, gone))
    # raw: only the status tells the pending invitation returned (200) from one created (201),
    # and the typed client answers both with the invitation
    twice = await client.invitations.post("/v1/invitations", json={"channel": "sms", "phone": "+447400750002"}, headers=lea.auth)  # fmt: skip
    assert twice.status_code == 200 and twice.json()["invitation_id"] == sms_id

    sent = await eventually(lambda: client.pending(lea), lambda items: len(items) == 3 and all(i.send_count == 1 for i in items))  # fmt: skip
    assert {i.destination for i in sent} == {"+447400750002", "noa@example.com", "+447400750004"}
    for invitation_id, asked in ((sms_id, by_sms), (mail_id, by_email), (gone_id, by_gone)):
        [sent_by] = await audit.wait_for("InvitationSent", key=invitation_id)
        assert sent_by.correlationid == asked["X-Correlation-ID"]  # that of the invite
    assert len(messages_to(platform, "+447400750002")) == 1
    assert len(messages_to(platform, "noa@example.com")) == 1

    with pytest.raises(ApiError) as early:
        await leas_app().invitations.resend_invitation(sms_id)
    assert (early.value.status, early.value.error) == (429, "rate_limited")
    assert int(early.value.headers["Retry-After"]) >= 1
    assert "minute" in early.value.detail or "second" in early.value.detail
    await asyncio.sleep(3.5)  # the cool-down of this platform (conftest)
    again = await leas_app(resending).invitations.resend_invitation(sms_id)
    assert str(again.invitation_id) == sms_id
    [resent] = await audit.wait_for("InvitationResent", key=sms_id)
    assert resent.data.resend_count == 1
    assert resent.correlationid == resending["X-Correlation-ID"]  # that of the resend

    async def messages_to_max():
        return messages_to(platform, "+447400750002")

    await eventually(messages_to_max, lambda found: len(found) == 2)

    await leas_app(deleted).invitations.delete_invitation(gone_id)
    [cancelled] = await audit.wait_for("InvitationCancelled", key=gone_id, correlation_id=deleted["X-Correlation-ID"])  # fmt: skip
    assert cancelled.data.reason == "deleted_by_inviter"
    assert {str(i.invitation_id) for i in await client.pending(lea)} == {sms_id, mail_id}

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
