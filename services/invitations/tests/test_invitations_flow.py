"""Invite, send, resend (refused inside the cool-down), cancel, accept: real service, Kafka,
Postgres, and the development channel that writes each message to a file."""

from __future__ import annotations

import uuid

import pytest
from contacts_events import InvitationChannel, InvitationRequested, UserRegistered, topics
from contacts_events.connect_id import generate
from contacts_events.kafka_binding import from_record
from contacts_events.topics import namespaced
from contacts_testing.kafka_reader import read_topic
from contacts_testing.platform_client import eventually

from .conftest import bearer, running_invitations

pytestmark = pytest.mark.integration


async def events_for(service, kafka_bootstrap, invitation_id, count=2):
    """The invitation's events on its topic once `count` of them are there: the relay publishes
    each after its commit, later on a busy machine (one 4 s read once found neither, with three
    test workers on two cores)."""

    async def read():
        topic = namespaced(topics.INVITATIONS, service.namespace)
        records = await read_topic(kafka_bootstrap, topic, expect=10_000, seconds=4)
        return [
            from_record(r.key, r.value, r.headers)
            for r in records
            if r.key == str(invitation_id).encode()
        ]

    return await eventually(read, lambda events: len(events) >= count, seconds=60)


async def pending(service, inviter):
    return (await service.http.get("/v1/invitations", headers=bearer(inviter))).json()["items"]


async def test_invite_send_refused_resend_cancel(invitations, kafka_bootstrap):
    inviter = uuid.uuid4()
    me = bearer(inviter)
    created = await invitations.http.post(
        "/v1/invitations", json={"phone": "+33612340001", "name": "Zoé"}, headers=me
    )
    assert created.status_code == 201, created.text
    invitation = created.json()
    again = await invitations.http.post(
        "/v1/invitations", json={"phone": "+33612340001"}, headers=me
    )
    assert (again.status_code, again.json()["invitation_id"]) == (200, invitation["invitation_id"])

    async def sent():
        items = await pending(invitations, inviter)
        return items and items[0]["send_count"] == 1 and items[0]

    shown = await invitations.until(sent)
    assert shown["status"] == "sent"
    assert shown["destination"] == "+33612340001"
    message = [m for m in invitations.sent_messages() if m["to"] == "+33612340001"]
    assert len(message) == 1
    assert "/invite/" in message[0]["link"]

    refused = await invitations.http.post(
        f"/v1/invitations/{invitation['invitation_id']}/resend", headers=me
    )
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "can be resent in" in refused.json()["detail"]

    deleted = await invitations.http.delete(
        f"/v1/invitations/{invitation['invitation_id']}", headers=me
    )
    assert deleted.status_code == 204
    assert await pending(invitations, inviter) == []
    gone = await invitations.http.post(
        f"/v1/invitations/{invitation['invitation_id']}/resend", headers=me
    )
    assert gone.status_code == 404
    events = await events_for(invitations, kafka_bootstrap, invitation["invitation_id"])
    assert [e.name for e in events] == ["InvitationSent", "InvitationCancelled"]
    request_ids = {e.data.request_id for e in events}  # the id the service gave the API's invite
    assert len(request_ids) == 1 and None not in request_ids


async def test_a_resend_after_the_cool_down_sends_again(
    postgres_admin_url, kafka_bootstrap, tmp_path
):
    async with running_invitations(
        postgres_admin_url, kafka_bootstrap, tmp_path, RESEND_COOLDOWN_MINUTES="0"
    ) as service:
        inviter = uuid.uuid4()
        created = (await service.http.post("/v1/invitations", json={"channel": "email", "email": "zoe@example.com"},
                                           headers=bearer(inviter))).json()  # fmt: skip
        await service.until(lambda: len(service.sent_messages()) == 1)

        async def sent_once():  # the send recorded: no longer in progress
            return (await pending(service, inviter))[0]["send_count"] == 1

        await service.until(sent_once)
        resent = await service.http.post(
            f"/v1/invitations/{created['invitation_id']}/resend", headers=bearer(inviter)
        )
        assert resent.status_code == 202, resent.text
        await service.until(lambda: len(service.sent_messages()) == 2)

        async def counted():
            items = await pending(service, inviter)
            return items[0]["send_count"] == 2

        await service.until(counted)
        events = await events_for(service, kafka_bootstrap, created["invitation_id"])
        assert [e.name for e in events] == ["InvitationSent", "InvitationResent"]


async def test_a_requested_invitation_is_sent_and_accepted_when_the_invitee_registers(
    invitations, kafka_bootstrap
):
    inviter = uuid.uuid4()
    request = InvitationRequested(import_id=uuid.uuid4(), inviter_id=inviter, request_id=uuid.uuid4(),
                                  channel=InvitationChannel.SMS, phone_e164="+33612340002", display_name="Léa")  # fmt: skip
    await invitations.events.publish(request, times=2)  # redelivered: still one invitation

    async def one_sent():
        items = await pending(invitations, inviter)
        return len(items) == 1 and items[0]["send_count"] == 1 and items[0]

    invitation = await invitations.until(one_sent)
    user = UserRegistered(
        user_id=uuid.uuid4(), connect_id=generate(), display_name="Léa", phone_e164="+33612340002"
    )
    await invitations.events.publish(user)

    async def accepted():
        return await pending(invitations, inviter) == []

    await invitations.until(accepted)
    mine = await events_for(invitations, kafka_bootstrap, invitation["invitation_id"])
    assert [e.name for e in mine] == ["InvitationSent", "InvitationAccepted"]
    assert mine[1].data.invitee_user_id == user.user_id
    assert [e.data.request_id for e in mine] == [request.request_id] * 2


async def test_refusals_are_explained(invitations):
    inviter = bearer(uuid.uuid4())
    premium = await invitations.http.post(
        "/v1/invitations", json={"phone": "+449090123456"}, headers=inviter
    )
    assert (premium.status_code, premium.json()["error"]) == (422, "premium_rate")
    landline = await invitations.http.post(
        "/v1/invitations", json={"phone": "+33123456789"}, headers=inviter
    )
    assert (landline.status_code, landline.json()["error"]) == (422, "not_mobile")
    no_phone = await invitations.http.post(
        "/v1/invitations", json={"channel": "sms"}, headers=inviter
    )
    assert (no_phone.status_code, no_phone.json()["field"]) == (422, "phone")


async def test_another_users_invitation_is_404(invitations):
    owner = uuid.uuid4()
    created = (
        await invitations.http.post(
            "/v1/invitations", json={"phone": "+33612340003"}, headers=bearer(owner)
        )
    ).json()
    stranger = bearer(uuid.uuid4())
    assert (
        await invitations.http.delete(
            f"/v1/invitations/{created['invitation_id']}", headers=stranger
        )
    ).status_code == 404
    assert (
        await invitations.http.post(
            f"/v1/invitations/{created['invitation_id']}/resend", headers=stranger
        )
    ).status_code == 404
    assert await pending(invitations, uuid.uuid4()) == []
