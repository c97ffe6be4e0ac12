"""A queued message wakes an idle delivery worker at its commit (LISTEN/NOTIFY): its send does
not wait for the next poll. The worker here polls once an hour, so only the wake can send."""

from __future__ import annotations

import asyncio

import pytest
from contacts_testing.fixtures import schema_dsn

from .sms_standin import SmsStandIn
from .test_invitations_delivery_concurrency import (  # noqa: F401 - a fixture of that module
    invited,
    migrated_invitations,
    until,
    worker,
)

pytestmark = pytest.mark.integration
AN_HOUR = 3600.0


@pytest.mark.usefixtures("migrated_invitations")
async def test_an_idle_worker_sends_a_new_invitation_without_waiting_for_its_poll(
    schema_pool, postgres_admin_url, service_schema
):
    dsn = schema_dsn(postgres_admin_url, service_schema)
    with SmsStandIn() as standin:
        sender, sms = worker(schema_pool, standin, dsn=dsn, schema=service_schema)
        task = asyncio.create_task(sender.run(idle_seconds=AN_HOUR))
        try:
            await until(lambda: listening(schema_pool, sender.channel), seconds=30)
            await asyncio.sleep(0.5)  # ordering only: its first claim (of nothing) is over
            phones = await invited(schema_pool, 3)
            await until(lambda: all_sent(schema_pool, 3), seconds=30)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await sms.close()
    assert sorted(m["To"] for m in standin.delivered.values()) == sorted(phones)


async def listening(pool, channel: str) -> bool:
    query = "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1"
    return bool(await pool.fetchval(query, f"{channel}-worker"))


async def all_sent(pool, count: int) -> bool:
    sent = await pool.fetchval("SELECT count(*) FROM invitations WHERE status = 'sent'")
    return bool(sent == count)
