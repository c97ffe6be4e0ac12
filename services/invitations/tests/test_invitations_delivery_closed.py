"""A message that was in flight when its invitation closed (the invitee joined, the inviter
deleted it) went out: the worker records and announces it, and the invitation stays closed
(a real worker and Postgres, a channel of the test's own, in this process)."""

from __future__ import annotations

import uuid
from unittest.mock import AsyncMock

import pytest
from contacts_channels import Message, SendResult
from contacts_events import EventContext, InvitationSent
from contacts_messaging.outbox import Outbox
from contacts_servicekit.migrations import discover, migrate
from invitations_service.adapters import invitations_repository as invitations
from invitations_service.adapters.unit_of_work import PostgresInvitationsWork
from invitations_service.domain.policy import Policy
from invitations_service.entrypoints.app import MIGRATIONS
from invitations_service.handlers.inviting import invite
from invitations_service.handlers.sending.worker import DeliveryWorker

from .conftest import outbox_events

pytestmark = pytest.mark.integration
CLOSED_WHILE_SENDING = {"+33612349101": "accepted", "+33612349102": "cancelled"}


class ClosingWhileSending:
    """Closes each invitation (another transaction, as the acceptance or the delete would)
    while its message is with the provider, then accepts the message."""

    name = "test"

    def __init__(self, pool, ids: dict[str, uuid.UUID]) -> None:
        self.pool, self.ids = pool, ids

    async def send(self, message: Message) -> SendResult:
        status = CLOSED_WHILE_SENDING[message.to]
        async with self.pool.acquire() as conn, conn.transaction():
            await invitations.close(conn, self.ids[message.to], status)
        return SendResult(provider_message_id=f"id-{message.to}")

    async def close(self) -> None:
        pass


async def test_a_message_in_flight_when_its_invitation_closed_is_announced(
    schema_pool, service_schema
):
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, discover("invitations", MIGRATIONS))
    policy = Policy(country_allow_list=False)
    ids: dict[str, uuid.UUID] = {}
    async with schema_pool.acquire() as conn, conn.transaction():
        for phone in CLOSED_WHILE_SENDING:
            row, _ = await invite(PostgresInvitationsWork(conn), policy, EventContext(), uuid.uuid4(), uuid.uuid4(), "sms",
                                  phone, None, None)  # fmt: skip
            ids[phone] = row.invitation_id
    channel = ClosingWhileSending(schema_pool, ids)
    worker = DeliveryWorker(schema_pool, Outbox("/tests"), {"sms": channel}, policy, "x")
    assert await worker.deliver_due() == 2

    events = await outbox_events(schema_pool)
    assert sorted((e.name, e.data.phone_e164) for e in events) == [
        ("InvitationSent", phone) for phone in sorted(CLOSED_WHILE_SENDING)
    ]
    assert all(isinstance(e.data, InvitationSent) for e in events)
    rows = await schema_pool.fetch(
        "SELECT i.phone_e164, i.status, i.send_count, d.status AS delivery"
        " FROM invitations i JOIN deliveries d USING (invitation_id) ORDER BY i.phone_e164"
    )
    assert [tuple(r) for r in rows] == [
        (phone, status, 1, "sent") for phone, status in sorted(CLOSED_WHILE_SENDING.items())
    ]


async def test_a_message_queued_again_after_its_invitation_closed_is_dropped(
    schema_pool, service_schema
):
    """A retry requeued (or a send given back) after the closure failed the queued messages."""
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, discover("invitations", MIGRATIONS))
    policy = Policy(country_allow_list=False)
    async with schema_pool.acquire() as conn, conn.transaction():
        row, _ = await invite(PostgresInvitationsWork(conn), policy, EventContext(), uuid.uuid4(), uuid.uuid4(), "sms",
                              "+33612349103", None, None)  # fmt: skip
        await conn.execute(
            "UPDATE invitations SET status = 'cancelled' WHERE invitation_id = $1",
            row.invitation_id,
        )  # closed, and its message still (again) queued
    channel = AsyncMock()
    worker = DeliveryWorker(schema_pool, Outbox("/tests"), {"sms": channel}, policy, "x")
    assert await worker.deliver_due() == 0
    channel.send.assert_not_called()
    delivery = await schema_pool.fetchval("SELECT status FROM deliveries")
    assert delivery == "failed"
