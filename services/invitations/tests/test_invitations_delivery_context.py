"""The delivery worker's events carry the context each delivery was queued in, all written at
once; deliveries queued before contexts were kept share one new correlation id (a real worker
and Postgres, a channel of the test's own, in this process)."""

from __future__ import annotations

import uuid

import pytest
from contacts_channels import Message, PermanentFailure, SendResult
from contacts_events import EventContext
from contacts_messaging.outbox import Outbox
from contacts_servicekit.migrations import discover, migrate
from invitations_service.adapters.unit_of_work import PostgresInvitationsWork
from invitations_service.domain.policy import Policy
from invitations_service.entrypoints.app import MIGRATIONS
from invitations_service.handlers.inviting import invite
from invitations_service.handlers.sending.worker import DeliveryWorker

from .conftest import outbox_events

pytestmark = pytest.mark.integration
REFUSED = "+33612348009"


class RefusingOne:
    """Accepts every message but those to REFUSED."""

    name = "test"

    async def send(self, message: Message) -> SendResult:
        if message.to == REFUSED:
            raise PermanentFailure("refused", "the test refuses this number")
        return SendResult(provider_message_id=None)

    async def close(self) -> None:
        pass


def context(name: str) -> EventContext:
    return EventContext(
        correlation_id=f"corr-{name}", causation_id=str(uuid.uuid4()), tenant=f"tenant-{name}",
        actor=str(uuid.uuid4()),
    )  # fmt: skip


async def test_each_event_carries_the_context_its_delivery_was_queued_in(
    schema_pool, service_schema
):
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, discover("invitations", MIGRATIONS))
    policy = Policy(country_allow_list=False)
    contexts = {"+33612348001": context("a"), "+33612348002": context("b"), REFUSED: context("c")}
    old = ["+33612348003", "+33612348004"]  # queued before contexts were kept
    ids = {}
    async with schema_pool.acquire() as conn, conn.transaction():
        for phone, queued_in in [*contexts.items(), *((p, EventContext()) for p in old)]:
            row, _ = await invite(PostgresInvitationsWork(conn), policy, queued_in, uuid.uuid4(), uuid.uuid4(), "sms",
                                  phone, None, None)  # fmt: skip
            ids[str(row.invitation_id)] = phone
        await conn.execute(
            "UPDATE deliveries SET correlation_id = NULL, causation_id = NULL, tenant = NULL,"
            " actor = NULL WHERE invitation_id = ANY($1::uuid[])",
            [uuid.UUID(i) for i, phone in ids.items() if phone in old],
        )
    worker = DeliveryWorker(schema_pool, Outbox("/tests"), {"sms": RefusingOne()}, policy, "x")
    assert await worker.deliver_due() == 5

    events = {ids[e.subject or ""]: e for e in await outbox_events(schema_pool)}
    assert events[REFUSED].name == "InvitationDeliveryFailed"
    for phone, queued_in in contexts.items():
        carried = events[phone]
        assert (carried.correlationid, carried.causationid) == (
            queued_in.correlation_id, queued_in.causation_id,
        )  # fmt: skip
        assert (carried.tenant, carried.actor) == (queued_in.tenant, queued_in.actor)
    first, second = (events[phone] for phone in old)
    assert first.correlationid == second.correlationid
    assert first.correlationid not in {c.correlation_id for c in contexts.values()}
    assert first.causationid is None
