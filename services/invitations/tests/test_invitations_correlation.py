"""The messages' events carry the correlation id of what asked for them: InvitationSent that of
the HTTP invite or of the consumed InvitationRequested, InvitationResent that of the resend
(real service, Kafka, Postgres, the development channel)."""

from __future__ import annotations

import uuid

import pytest
from contacts_events import InvitationChannel, InvitationRequested, topics
from contacts_events.envelope import CloudEvent
from contacts_events.kafka_binding import from_record
from contacts_events.topics import namespaced
from contacts_testing.kafka_reader import read_topic

from .conftest import bearer, invitations_with

pytestmark = pytest.mark.integration


service = invitations_with("correlation", RESEND_COOLDOWN_MINUTES="0")


async def announced(service, kafka_bootstrap, invitation_id, name: str) -> CloudEvent:
    """The one `name` event of this invitation, once it is on Kafka."""
    topic = namespaced(topics.INVITATIONS, service.namespace)

    async def found() -> list[CloudEvent]:
        records = await read_topic(kafka_bootstrap, topic, expect=10_000, seconds=2)
        events = [from_record(r.key, r.value, r.headers) for r in records]
        return [e for e in events if e.name == name and e.subject == str(invitation_id)]

    [event] = await service.until(found)
    return event


async def send_count(service, inviter: uuid.UUID) -> int:
    items = (await service.http.get("/v1/invitations", headers=bearer(inviter))).json()["items"]
    return items[0]["send_count"] if items else 0


async def test_an_invitation_and_its_resend_carry_their_requests_correlation_ids(
    service, kafka_bootstrap
):
    inviter = uuid.uuid4()
    created = await service.http.post(
        "/v1/invitations", json={"phone": "+33612345501"},
        headers={**bearer(inviter), "X-Correlation-ID": "invite-x"},
    )  # fmt: skip
    assert created.status_code == 201, created.text
    invitation_id = created.json()["invitation_id"]
    sent = await announced(service, kafka_bootstrap, invitation_id, "InvitationSent")
    assert (sent.correlationid, sent.actor) == ("invite-x", str(inviter))

    await service.until(lambda: send_count(service, inviter))  # recorded: no send in progress
    resent = await service.http.post(
        f"/v1/invitations/{invitation_id}/resend",
        headers={**bearer(inviter), "X-Correlation-ID": "resend-y"},
    )
    assert resent.status_code == 202, resent.text
    again = await announced(service, kafka_bootstrap, invitation_id, "InvitationResent")
    assert (again.correlationid, again.actor) == ("resend-y", str(inviter))


async def test_a_requested_invitation_carries_the_requests_correlation_id(service, kafka_bootstrap):
    inviter = uuid.uuid4()
    request = InvitationRequested(
        import_id=uuid.uuid4(), inviter_id=inviter, request_id=uuid.uuid4(),
        channel=InvitationChannel.EMAIL, email="zed@example.com",
    )  # fmt: skip
    [requested] = await service.events.publish(request)

    async def created() -> uuid.UUID | None:
        return await service.pool.fetchval(
            "SELECT invitation_id FROM invitations WHERE request_id = $1", request.request_id
        )

    invitation_id = await service.until(created)
    sent = await announced(service, kafka_bootstrap, invitation_id, "InvitationSent")
    assert sent.correlationid == requested.correlationid
    assert sent.causationid == str(requested.id)
