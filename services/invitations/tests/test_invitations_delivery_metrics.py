"""The delivery worker counts what it does: a message the provider refused and that is given
up, then one it accepted (a real worker, Postgres and the HTTP SMS stand-in, in this process)."""

from __future__ import annotations

import uuid

import pytest
from contacts_channels import HttpSmsChannel
from contacts_events import EventContext
from contacts_messaging.outbox import Outbox
from contacts_servicekit.migrations import discover, migrate
from invitations_service.adapters.unit_of_work import PostgresInvitationsWork
from invitations_service.domain.policy import Policy
from invitations_service.entrypoints.app import MIGRATIONS
from invitations_service.handlers.inviting import invite
from invitations_service.handlers.sending.worker import DeliveryWorker
from prometheus_client import REGISTRY

from .sms_standin import SmsStandIn

pytestmark = pytest.mark.integration


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_a_failure_given_up_and_a_send_are_counted(schema_pool, service_schema):
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, discover("invitations", MIGRATIONS))
    policy = Policy(max_delivery_attempts=1)  # the first failure is the last one
    with SmsStandIn(fail_first=1) as standin:
        sms = HttpSmsChannel(standin.url, "AC1", "t", "Contacts")
        worker = DeliveryWorker(schema_pool, Outbox("/tests"), {"sms": sms}, policy, "http://x")
        failed = sample("invitation_deliveries_failed_total", channel="sms", permanent="true")
        sent = sample("invitations_sent_total", channel="sms")
        try:
            for phone in ("+33612349001", "+33612349002"):
                async with schema_pool.acquire() as conn, conn.transaction():
                    await invite(PostgresInvitationsWork(conn), policy, EventContext(), uuid.uuid4(), uuid.uuid4(), "sms",
                                 phone, None, None)  # fmt: skip
                assert await worker.deliver_due() == 1
        finally:
            await sms.close()
    assert sample("invitation_deliveries_failed_total", channel="sms", permanent="true") == (
        failed + 1
    )
    assert sample("invitations_sent_total", channel="sms") == sent + 1
    statuses = await schema_pool.fetch("SELECT status FROM invitations ORDER BY phone_e164")
    assert [r["status"] for r in statuses] == ["delivery_failed", "sent"]
