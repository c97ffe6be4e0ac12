"""Expiry is a task of its own (not a step of the delivery worker): it runs as soon as it
starts and then every interval, each round in a transaction of its own, closing the
invitations past their date (`InvitationExpired` in the outbox with them) and forgetting the
cool-downs that ended."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import asyncpg
import pytest
from contacts_events import EventContext, InvitationExpired
from contacts_messaging.outbox import Outbox
from contacts_servicekit.migrations import discover, migrate
from contacts_testing.platform_client import eventually
from invitations_service.adapters.unit_of_work import PostgresInvitationsWork
from invitations_service.domain.policy import Policy
from invitations_service.entrypoints.app import MIGRATIONS
from invitations_service.handlers.expiry import ExpiryTask
from invitations_service.handlers.inviting import invite

from .conftest import outbox_events

pytestmark = pytest.mark.integration
POLICY = Policy(country_allow_list=False, resend_cooldown=timedelta(minutes=10))
FIRST, SECOND = "+33612349301", "+33612349302"


async def invited(pool: asyncpg.Pool, phone: str) -> uuid.UUID:
    async with pool.acquire() as conn, conn.transaction():
        found, _ = await invite(PostgresInvitationsWork(conn), POLICY, EventContext(),
                                uuid.uuid4(), uuid.uuid4(), "sms", phone, None, None)  # fmt: skip
    return found.invitation_id


async def make_due(pool: asyncpg.Pool, invitation_id: uuid.UUID) -> None:
    await pool.execute(
        "UPDATE invitations SET expires_at = now() - interval '1 second' WHERE invitation_id = $1",
        invitation_id,
    )


async def status_becomes(pool: asyncpg.Pool, invitation_id: uuid.UUID, status: str) -> None:
    query = "SELECT status FROM invitations WHERE invitation_id = $1"
    await eventually(lambda: pool.fetchval(query, invitation_id), lambda found: found == status)


async def test_the_task_expires_at_once_then_every_interval(schema_pool, service_schema) -> None:
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, discover("invitations", MIGRATIONS))
    first, second = await invited(schema_pool, FIRST), await invited(schema_pool, SECOND)
    await make_due(schema_pool, first)
    await schema_pool.execute(  # the first pair's cool-down ended an hour ago
        "UPDATE send_cooldowns SET last_message_at = now() - interval '1 hour'"
        " WHERE destination = $1",
        FIRST,
    )
    task = asyncio.create_task(ExpiryTask(schema_pool, Outbox("/tests"), POLICY, 0.05).run())
    try:
        await status_becomes(schema_pool, first, "expired")
        await make_due(schema_pool, second)  # due after the first round: a later one closes it
        await status_becomes(schema_pool, second, "expired")
    finally:
        task.cancel()
    expired = [e.data for e in await outbox_events(schema_pool)]
    assert {e.invitation_id for e in expired if isinstance(e, InvitationExpired)} == {first, second}
    assert await schema_pool.fetchval("SELECT array_agg(destination) FROM send_cooldowns") == [
        SECOND
    ]
