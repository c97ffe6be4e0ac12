"""The events that close an invitation (cancelled, accepted, expired) carry the `request_id` of
the InvitationRequested that created it, also when it closes before its first message went out
and no InvitationSent ever named the number (handlers in this process, a real Postgres, no
delivery worker: nothing is sent)."""

from __future__ import annotations

import uuid

import pytest
from contacts_events import (
    CloudEvent,
    EventContext,
    InvitationAccepted,
    InvitationCancelled,
    InvitationExpired,
    UserRegistered,
)
from contacts_events.connect_id import generate
from contacts_messaging.outbox import Outbox
from contacts_servicekit.migrations import discover, migrate
from invitations_service.adapters.unit_of_work import PostgresInvitationsWork
from invitations_service.domain.policy import Policy
from invitations_service.entrypoints.app import MIGRATIONS
from invitations_service.handlers.accepting import registered as accept_registered
from invitations_service.handlers.expiry import ExpiryTask
from invitations_service.handlers.inviting import cancel, invite

from .conftest import outbox_events

pytestmark = pytest.mark.integration
CANCELLED, ACCEPTED, EXPIRED = "+33612349201", "+33612349202", "+33612349203"


async def test_closing_events_carry_the_request_id_before_any_message_went_out(
    schema_pool, service_schema
):
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, discover("invitations", MIGRATIONS))
    policy, outbox, inviter = Policy(country_allow_list=False), Outbox("/tests"), uuid.uuid4()
    requests = {phone: uuid.uuid4() for phone in (CANCELLED, ACCEPTED, EXPIRED)}
    ids: dict[str, uuid.UUID] = {}
    async with schema_pool.acquire() as conn, conn.transaction():
        for phone, request_id in requests.items():
            row, _ = await invite(PostgresInvitationsWork(conn), policy, EventContext(), inviter, request_id, "sms", phone,
                                  None, None, import_id=uuid.uuid4())  # fmt: skip
            ids[phone] = row.invitation_id

    async with schema_pool.acquire() as conn, conn.transaction():
        work = PostgresInvitationsWork(conn)
        await cancel(work, inviter, ids[CANCELLED])
        await work.write_events(outbox, EventContext())
    registered = UserRegistered(
        user_id=uuid.uuid4(), connect_id=generate(), display_name="Léa", phone_e164=ACCEPTED
    )
    event = CloudEvent.wrap(registered, source="/tests", context=EventContext())
    async with schema_pool.acquire() as conn, conn.transaction():
        await accept_registered(registered, event, conn, outbox)
    await schema_pool.execute(
        "UPDATE invitations SET expires_at = now() - interval '1 second' WHERE invitation_id = $1",
        ids[EXPIRED],
    )
    assert await ExpiryTask(schema_pool, outbox, policy).expire_once() == 1

    closing = {e.data.invitation_id: e.data for e in await outbox_events(schema_pool)}
    assert {phone: type(closing[ids[phone]]) for phone in requests} == {
        CANCELLED: InvitationCancelled, ACCEPTED: InvitationAccepted, EXPIRED: InvitationExpired,
    }  # fmt: skip
    assert {phone: closing[ids[phone]].request_id for phone in requests} == requests
    assert await schema_pool.fetchval("SELECT count(*) FROM deliveries WHERE status = 'sent'") == 0
