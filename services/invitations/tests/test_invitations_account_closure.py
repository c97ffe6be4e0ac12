"""An inviter's account closes: their open invitations are cancelled once (redeliveries and a
second closure change nothing), the messages queued for them never go out, and a request that
arrives afterwards is refused (a service process, an SMS provider stand-in)."""

from __future__ import annotations

import uuid
from collections import Counter

import pytest
from contacts_events import (
    DeactivationReason,
    InvitationChannel,
    InvitationRequested,
    UserDeactivated,
)

from .conftest import InvitationsUnderTest, bearer, outbox_events, running_invitations
from .sms_standin import SmsStandIn
from .test_invitations_delivery_faults import provider_env

pytestmark = pytest.mark.integration
CLOSING_PHONES = ["+33612348101", "+33612348102", "+33612348103"]
CONTROL_PHONE, LATE_PHONE = "+33612348104", "+33612348105"


async def test_a_closure_cancels_open_invitations_once_and_their_messages_never_go_out(
    postgres_admin_url, kafka_bootstrap, tmp_path
):
    with SmsStandIn(fail_first=10**9) as provider:  # every send fails for now: retries queue
        async with running_invitations(
            postgres_admin_url, kafka_bootstrap, tmp_path, **provider_env(provider)
        ) as service:
            inviter, control = uuid.uuid4(), uuid.uuid4()
            requests = [await _invite(service, inviter, phone) for phone in CLOSING_PHONES]
            await service.until(lambda: {r["To"] for r in provider.requests} >= set(CLOSING_PHONES))

            closure = UserDeactivated(user_id=inviter, reason=DeactivationReason.CLOSED_BY_USER)
            erasure = UserDeactivated(user_id=inviter, reason=DeactivationReason.ERASED)
            closed = await service.events.publish(closure, times=2)  # redelivered
            erased = await service.events.publish(erasure)  # and closed a second time
            await service.until(lambda: _statuses(service, inviter, {"cancelled": 3}))
            # The accounts and requests groups keep no order between them: a closure handled
            # after the late request was queued refuses it itself (closures.py), the processor
            # otherwise: `_refused` waits for either. The late one comes after both closures.
            await service.until(lambda: _handled(service, [closed[0].id, erased[0].id]))
            await service.events.publish(_late_request(inviter))
            # the requests group reads its first record here: a join on a busy broker takes time
            await service.until(lambda: _refused(service, inviter), seconds=90)

            provider.fail_first = 0  # the provider accepts from now on
            await _invite(service, control, CONTROL_PHONE)
            await service.until(lambda: CONTROL_PHONE in _delivered(provider))
            await service.until(lambda: _nothing_left_to_send(service, inviter))
            assert not set(CLOSING_PHONES) & _delivered(provider)

            cancelled = [e.data for e in await outbox_events(service.pool)
                         if e.name == "InvitationCancelled"]  # fmt: skip
            assert Counter(c.request_id for c in cancelled) == Counter(requests)
            assert {(c.inviter_id, c.reason.value) for c in cancelled} == {
                (inviter, "inviter_deactivated")
            }
            assert await _statuses(service, inviter, {"cancelled": 3})  # the late one made none


async def _invite(service: InvitationsUnderTest, inviter: uuid.UUID, phone: str) -> uuid.UUID:
    created = await service.http.post(
        "/v1/invitations", json={"phone": phone}, headers=bearer(inviter)
    )
    assert created.status_code == 201, created.text
    request_id: uuid.UUID = await service.pool.fetchval(
        "SELECT request_id FROM invitations WHERE invitation_id = $1",
        uuid.UUID(created.json()["invitation_id"]),
    )
    return request_id


def _late_request(inviter: uuid.UUID) -> InvitationRequested:
    """An import's request that was on its way when the account closed."""
    return InvitationRequested(
        import_id=uuid.uuid4(), inviter_id=inviter, request_id=uuid.uuid4(),
        channel=InvitationChannel.SMS, phone_e164=LATE_PHONE, row_number=2,
    )  # fmt: skip


async def _statuses(service: InvitationsUnderTest, inviter: uuid.UUID, wanted: dict) -> bool:
    rows = await service.pool.fetch(
        "SELECT status, count(*) AS n FROM invitations WHERE inviter_id = $1 GROUP BY status",
        inviter,
    )
    return {r["status"]: r["n"] for r in rows} == wanted


async def _handled(service: InvitationsUnderTest, event_ids: list[uuid.UUID]) -> bool:
    """Every one of these events in the inbox of the `invitations.accounts` group: their
    closures committed."""
    handled = await service.pool.fetchval(
        "SELECT count(DISTINCT event_id) FROM inbox"
        " WHERE event_id = ANY($1::uuid[]) AND consumer LIKE '%.accounts'",
        event_ids,
    )
    return bool(handled == len(event_ids))


async def _refused(service: InvitationsUnderTest, inviter: uuid.UUID) -> bool:
    refusals = [e.data for e in await outbox_events(service.pool) if e.name == "InvitationRefused"]
    return any(r.inviter_id == inviter and r.reason_code == "account_closed" for r in refusals)


async def _nothing_left_to_send(service: InvitationsUnderTest, inviter: uuid.UUID) -> bool:
    waiting = await service.pool.fetchval(
        "SELECT count(*) FROM deliveries d JOIN invitations i USING (invitation_id)"
        " WHERE i.inviter_id = $1 AND d.status IN ('queued', 'sending')",
        inviter,
    )
    return waiting == 0


def _delivered(provider: SmsStandIn) -> set[str]:
    return {message["To"] for message in provider.delivered.values()}
