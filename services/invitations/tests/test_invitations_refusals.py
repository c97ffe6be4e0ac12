"""Refused requests from imports are announced as InvitationRefused on Kafka (with the import's
row and the reason); the inviter's daily cap holds through the API and through events."""

from __future__ import annotations

import uuid

import pytest
from contacts_events import (
    CompanyRole,
    InvitationChannel,
    InvitationRefused,
    InvitationRequested,
    topics,
)
from contacts_events.kafka_binding import from_record
from contacts_events.topics import namespaced
from contacts_testing.kafka_reader import read_topic
from invitations_service.handlers.sending.requests import refused_invitation_id

from .conftest import bearer, company_with, running_invitations

pytestmark = pytest.mark.integration


def requested(inviter: uuid.UUID, phone: str, row: int) -> InvitationRequested:
    return InvitationRequested(
        import_id=uuid.uuid4(), inviter_id=inviter, request_id=uuid.uuid4(),
        channel=InvitationChannel.SMS, phone_e164=phone, row_number=row,
    )  # fmt: skip


async def refusals(service, kafka_bootstrap, *requests: InvitationRequested):
    """The InvitationRefused events of these requests, by request id, once all have arrived."""
    wanted = {str(refused_invitation_id(r.request_id)).encode(): r.request_id for r in requests}

    async def arrived():
        records = await read_topic(
            kafka_bootstrap, namespaced(topics.INVITATIONS, service.namespace),
            expect=10_000, seconds=2,
        )  # fmt: skip
        found = [from_record(r.key, r.value, r.headers) for r in records if r.key in wanted]
        return len(found) >= len(wanted) and found

    events = await service.until(arrived, seconds=60)
    return {e.data.request_id: e for e in events}


async def test_refused_requests_are_announced_with_their_row_and_reason(
    invitations, kafka_bootstrap
):
    member = uuid.uuid4()
    await company_with(invitations, {member: ("+33612345678", CompanyRole.MEMBER)})
    premium = requested(member, "+449090123456", row=3)
    abroad = requested(member, "+4915123456789", row=4)
    fine = requested(member, "+33612345001", row=5)
    await invitations.events.publish(premium, abroad, fine, times=2)  # redelivered: announced once

    found = await refusals(invitations, kafka_bootstrap, premium, abroad)
    assert set(found) == {premium.request_id, abroad.request_id}
    refused = found[premium.request_id].data
    assert isinstance(refused, InvitationRefused)
    assert (refused.import_id, refused.row_number, refused.inviter_id) == (
        premium.import_id,
        3,
        member,
    )
    assert (refused.phone_e164, refused.reason_code) == ("+449090123456", "premium_rate")
    assert "premium-rate number in the United Kingdom (+44)" in refused.reason  # the shared rule
    country = found[abroad.request_id].data
    assert country.reason_code == "country_not_allowed"
    assert "countries its members are in (FR)" in country.reason
    assert found[abroad.request_id].causationid is not None  # caused by the request

    async def one_pending():
        items = (await invitations.http.get("/v1/invitations", headers=bearer(member))).json()
        return [i["destination"] for i in items["items"]] == ["+33612345001"]

    await invitations.until(one_pending)
    records = await read_topic(kafka_bootstrap, namespaced(topics.INVITATIONS, invitations.namespace),
                               expect=10_000, seconds=2)  # fmt: skip
    keys = [r.key for r in records]
    assert keys.count(str(refused_invitation_id(premium.request_id)).encode()) == 1


async def test_the_inviters_daily_cap_holds_for_the_api_and_for_imports(
    postgres_admin_url, kafka_bootstrap, tmp_path
):
    async with running_invitations(
        postgres_admin_url, kafka_bootstrap, tmp_path, INVITER_DAILY_CAP="2",
        COUNTRY_ALLOW_LIST="false",
    ) as service:  # fmt: skip
        inviter = uuid.uuid4()
        await company_with(service, {inviter: ("+33612345678", CompanyRole.MEMBER)})
        me = bearer(inviter)
        first = await service.http.post(
            "/v1/invitations", json={"phone": "+4915123456789"}, headers=me
        )
        assert first.status_code == 201  # another country: the allow-list is switched off
        second = await service.http.post(
            "/v1/invitations", json={"channel": "email", "email": "b@example.com"}, headers=me
        )
        assert second.status_code == 201
        third = await service.http.post(
            "/v1/invitations", json={"phone": "+33612345002"}, headers=me
        )
        assert third.status_code == 429
        assert "at most 2 invitations a day" in third.json()["detail"]
        assert int(third.headers["Retry-After"]) > 0
        again = await service.http.post(
            "/v1/invitations", json={"phone": "+4915123456789"}, headers=me
        )
        assert again.status_code == 200  # the pending one, not a new invitation: not capped

        over = requested(inviter, "+33612345003", row=9)
        await service.events.publish(over)
        found = await refusals(service, kafka_bootstrap, over)
        assert found[over.request_id].data.reason_code == "inviter_daily_cap"
        other = bearer(uuid.uuid4())  # the cap is each inviter's own
        assert (await service.http.post("/v1/invitations", json={"phone": "+33612345002"}, headers=other)
                ).status_code == 201  # fmt: skip
