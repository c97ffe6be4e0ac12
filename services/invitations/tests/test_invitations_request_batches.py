"""Queued InvitationRequested are handled a batch at a time with the rules of one request at
a time: duplicates, refused numbers, caps, redelivery; refusals counted once committed; a
request that breaks its batch is set aside; an inviter's closure refuses what still waits
(real Postgres, the processor in this process)."""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from contacts_events import EventContext, InvitationChannel, InvitationRefused, InvitationRequested
from contacts_events.envelope import CloudEvent
from contacts_messaging.outbox import Outbox
from contacts_servicekit.migrations import discover, migrate
from invitations_service.adapters.unit_of_work import PostgresInvitationsWork
from invitations_service.domain.policy import Policy
from invitations_service.entrypoints.app import MIGRATIONS
from invitations_service.handlers.closures import close_inviter
from invitations_service.handlers.sending import queue as requests_queue
from invitations_service.handlers.sending.processor import RequestProcessor
from invitations_service.handlers.sending.requests import refused_invitation_id
from prometheus_client import REGISTRY
from structlog.testing import capture_logs

from .conftest import outbox_events

pytestmark = pytest.mark.integration
POLICY = Policy(inviter_daily_cap=4, country_allow_list=False)


def requested(inviter: uuid.UUID, destination: str, row: int) -> InvitationRequested:
    email = "@" in destination
    return InvitationRequested(
        import_id=uuid.uuid4(), inviter_id=inviter, request_id=uuid.uuid4(), row_number=row,
        channel=InvitationChannel.EMAIL if email else InvitationChannel.SMS,
        email=destination if email else None, phone_e164=None if email else destination,
    )  # fmt: skip


async def stage(pool: asyncpg.Pool, requests: list[InvitationRequested]) -> list[CloudEvent]:
    """Queue the requests as the consumer does; their envelopes."""
    events = [CloudEvent.wrap(r, source="/importer", context=EventContext()) for r in requests]
    async with pool.acquire() as conn, conn.transaction():
        for event in events:
            assert isinstance(event.data, InvitationRequested)
            await requests_queue.stage(conn, event, event.data)
    return events


def refused_count(reason: str) -> float:
    return REGISTRY.get_sample_value("invitations_refused_total", {"reason": reason}) or 0.0


async def test_a_batch_keeps_the_rules_of_one_request_at_a_time(schema_pool, migrated):
    inviter = uuid.uuid4()
    batch = [
        requested(inviter, "+33612340001", 1), requested(inviter, "+33612340001", 2),
        requested(inviter, "+449090123456", 3), requested(inviter, "+33612340002", 4),
        requested(inviter, "Zoe@Example.org", 5), requested(inviter, "+33612340003", 6),
        requested(inviter, "+33612340004", 7),
    ]  # fmt: skip
    events = await stage(schema_pool, batch)
    premium, capped = refused_count("premium_rate"), refused_count("inviter_daily_cap")
    processor = RequestProcessor(POLICY, Outbox("/tests"))
    assert await processor.handle_due(schema_pool) == 7

    created = await schema_pool.fetch(
        "SELECT i.request_id, i.phone_e164, i.email, d.kind, d.status FROM invitations i"
        " JOIN deliveries d USING (invitation_id) ORDER BY i.created_at"
    )
    assert {(r["phone_e164"] or r["email"]) for r in created} == {
        "+33612340001", "+33612340002", "Zoe@Example.org", "+33612340003",
    }  # fmt: skip
    assert {r["request_id"] for r in created} == {batch[i].request_id for i in (0, 3, 4, 5)}
    assert {(r["kind"], r["status"]) for r in created} == {("first", "queued")}
    counters = dict(
        await schema_pool.fetch("SELECT subject, count FROM daily_sends WHERE count > 0")
    )
    assert counters[str(inviter)] == 4
    assert counters["zoe@example.org"] == 1

    announced = await outbox_events(schema_pool)
    assert [(e.data.row_number, e.data.reason_code) for e in announced] == [
        (3, "premium_rate"), (7, "inviter_daily_cap"),
    ]  # fmt: skip
    first = announced[0]
    assert isinstance(first.data, InvitationRefused)
    assert first.data.invitation_id == refused_invitation_id(batch[2].request_id)
    assert first.causationid == str(events[2].id)  # caused by the request
    assert first.correlationid == events[2].correlationid
    assert refused_count("premium_rate") == premium + 1
    assert refused_count("inviter_daily_cap") == capped + 1

    await stage(schema_pool, batch)  # the same requests again (the importer published twice)
    assert await processor.handle_due(schema_pool) == 7
    assert await schema_pool.fetchval("SELECT count(*) FROM invitations") == 4
    again = (await outbox_events(schema_pool))[2:]
    assert [(e.data.invitation_id, e.data.reason_code) for e in again] == [
        (refused_invitation_id(batch[2].request_id), "premium_rate"),
        (refused_invitation_id(batch[6].request_id), "inviter_daily_cap"),
    ]
    assert await schema_pool.fetchval("SELECT count(*) FROM invitation_requests") == 0


class FailingOnce(Outbox):
    """An outbox whose first write fails as if Postgres had gone away."""

    failed = False

    async def add_each(self, conn, events):  # type: ignore[no-untyped-def]
        if not self.failed:  # `add` writes through `add_each` too
            self.failed = True
            raise asyncpg.exceptions.DeadlockDetectedError("deadlock detected")
        return await super().add_each(conn, events)


async def test_a_batch_rolled_back_and_retried_counts_its_refusals_once(schema_pool, migrated):
    await stage(schema_pool, [requested(uuid.uuid4(), "+33123456789", 1)])  # a landline
    before = refused_count("not_mobile")
    processor = RequestProcessor(POLICY, FailingOnce("/tests"))
    with pytest.raises(asyncpg.exceptions.DeadlockDetectedError):
        await processor.handle_due(schema_pool)
    assert refused_count("not_mobile") == before  # rolled back: nothing counted
    assert await processor.handle_due(schema_pool) == 1
    assert refused_count("not_mobile") == before + 1
    assert len(await outbox_events(schema_pool)) == 1


async def test_a_request_that_breaks_its_batch_is_set_aside_and_the_others_go_on(
    schema_pool, migrated
):
    inviter = uuid.uuid4()
    await stage(schema_pool, [requested(inviter, "+33612340011", 1)])
    async with schema_pool.acquire() as conn:  # a row no invitation can be made of
        await conn.execute(
            "INSERT INTO invitation_requests (request_id, event_id, correlation_id, inviter_id,"
            " channel, phone_e164) VALUES ($1, $2, 'c', $3, 'fax', '+33612340012')",
            uuid.uuid4(), uuid.uuid4(), inviter,
        )  # fmt: skip
    await stage(schema_pool, [requested(inviter, "+33612340013", 3)])
    processor = RequestProcessor(POLICY, Outbox("/tests"))
    assert await processor.handle_due(schema_pool) == 3
    phones = await schema_pool.fetch("SELECT phone_e164 FROM invitations ORDER BY phone_e164")
    assert [r["phone_e164"] for r in phones] == ["+33612340011", "+33612340013"]
    aside = await schema_pool.fetch("SELECT channel, failed_at, error FROM invitation_requests")
    assert len(aside) == 1
    assert aside[0]["channel"] == "fax"
    assert aside[0]["failed_at"] is not None
    assert "CheckViolation" in aside[0]["error"]
    assert await processor.handle_due(schema_pool) == 0  # set aside for good


async def test_a_request_after_the_inviter_deleted_the_invitation_waits_for_the_cool_down(
    schema_pool, migrated
):
    inviter = uuid.uuid4()
    processor = RequestProcessor(POLICY, Outbox("/tests"))
    await stage(schema_pool, [requested(inviter, "+33612340021", 1)])
    assert await processor.handle_due(schema_pool) == 1
    await schema_pool.execute("UPDATE invitations SET status = 'cancelled'")  # deleted

    await stage(schema_pool, [requested(inviter, "+33612340021", 2)])
    assert await processor.handle_due(schema_pool) == 1
    [refused] = await outbox_events(schema_pool)
    assert (refused.data.row_number, refused.data.reason_code) == (2, "resend_cooldown")
    assert "can be resent in" in refused.data.reason

    await schema_pool.execute(  # the cool-down has passed
        "UPDATE send_cooldowns SET last_message_at = last_message_at - $1::interval",
        POLICY.resend_cooldown,
    )
    await stage(schema_pool, [requested(inviter, "+33612340021", 3)])
    assert await processor.handle_due(schema_pool) == 1
    assert await schema_pool.fetchval("SELECT count(*) FROM invitations") == 2


async def test_a_kafka_batch_is_queued_with_one_statement_as_one_at_a_time(schema_pool, migrated):
    inviter = uuid.uuid4()
    batch = [requested(inviter, f"+3361234100{row}", row) for row in (1, 2, 3)]
    batch.append(batch[1].model_copy(update={"row_number": 9}))  # a request id again: not queued
    events = [CloudEvent.wrap(r, source="/importer", context=EventContext()) for r in batch]
    async with schema_pool.acquire() as conn, conn.transaction():
        await requests_queue.stage_many(conn, [(e, e.data) for e in events])  # type: ignore[misc]
    together = await schema_pool.fetch("SELECT * FROM invitation_requests ORDER BY position")
    await schema_pool.execute("DELETE FROM invitation_requests")
    await stage(schema_pool, batch)
    alone = await schema_pool.fetch("SELECT * FROM invitation_requests ORDER BY position")

    assert [r["request_id"] for r in together] == [r.request_id for r in batch[:3]]
    assert [r["row_number"] for r in together] == [1, 2, 3]
    volatile = {"position", "event_id", "correlation_id", "staged_at"}  # new for each envelope

    def kept(rows: list[asyncpg.Record]) -> list[dict[str, object]]:
        return [{k: v for k, v in dict(r).items() if k not in volatile} for r in rows]

    assert kept(together) == kept(alone)
    assert [r["event_id"] for r in together] == [e.id for e in events[:3]]


async def test_a_closure_refuses_the_inviters_waiting_requests_in_order_but_not_those_held(
    schema_pool, migrated
):
    inviter, other = uuid.uuid4(), uuid.uuid4()
    mine = [requested(inviter, f"+3361234200{row}", row) for row in (1, 2, 3)]
    theirs = requested(other, "+33612342009", 9)
    await stage(schema_pool, [mine[0], theirs, *mine[1:]])
    await schema_pool.execute(
        "UPDATE invitation_requests SET failed_at = now(), error = 'x' WHERE request_id = $1",
        mine[1].request_id,
    )  # set aside for a person: refused too
    await schema_pool.execute(  # set aside, and no InvitationRefused can say it: skipped, logged
        "INSERT INTO invitation_requests (request_id, event_id, correlation_id, inviter_id,"
        " channel, phone_e164, failed_at, error) VALUES ($1, $2, 'c', $3, 'fax', '+33612342008',"
        " now(), 'CheckViolation')",
        uuid.uuid4(), uuid.uuid4(), inviter,
    )  # fmt: skip
    async with schema_pool.acquire() as processing, processing.transaction():
        await processing.execute(  # a processor holds this one: it will refuse it itself
            "SELECT 1 FROM invitation_requests WHERE request_id = $1 FOR UPDATE",
            mine[2].request_id,
        )
        async with schema_pool.acquire() as conn, conn.transaction():
            work = PostgresInvitationsWork(conn)
            with capture_logs() as logs:
                await close_inviter(work, inviter)
            await work.write_events(Outbox("/tests"), EventContext())

    refused = [e.data for e in await outbox_events(schema_pool)]
    assert [(type(r), r.request_id, r.row_number) for r in refused] == [
        (InvitationRefused, mine[0].request_id, 1), (InvitationRefused, mine[1].request_id, 2),
    ]  # fmt: skip
    assert {r.reason_code for r in refused} == {"account_closed"}  # type: ignore[union-attr]
    left = await schema_pool.fetch("SELECT request_id FROM invitation_requests ORDER BY position")
    assert [r["request_id"] for r in left] == [theirs.request_id, mine[2].request_id]
    assert [e["event"] for e in logs if e["log_level"] == "error"] == [
        "invitation.refusal_not_announced"
    ]


@pytest.fixture
async def migrated(schema_pool, service_schema):
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, discover("invitations", MIGRATIONS))
