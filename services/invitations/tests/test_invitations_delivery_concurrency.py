"""A delivery worker sends many messages at once, still at the provider's rate, still once per
attempt (real workers in this process, real Postgres, the HTTP SMS stand-in answering slowly)."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from contacts_channels import HttpSmsChannel
from contacts_events import EventContext
from contacts_messaging.outbox import Outbox
from contacts_servicekit.migrations import discover, migrate
from invitations_service.adapters.unit_of_work import PostgresInvitationsWork
from invitations_service.domain.policy import Policy
from invitations_service.entrypoints.app import MIGRATIONS
from invitations_service.handlers.inviting import invite
from invitations_service.handlers.sending.pacing import SendPacer
from invitations_service.handlers.sending.worker import DeliveryWorker

from .sms_standin import SmsStandIn

pytestmark = pytest.mark.integration
POLICY = Policy(inviter_daily_cap=1000)


async def until(check: Callable[[], Awaitable[bool]], seconds: float) -> None:
    for _ in range(int(seconds * 10)):
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"condition not met within {seconds} s")


async def invited(pool, count: int) -> list[str]:
    """`count` SMS invitations of one inviter, each with a first delivery queued."""
    inviter, phones = uuid.uuid4(), [f"+336123{50000 + i:05d}" for i in range(count)]
    async with pool.acquire() as conn, conn.transaction():
        for phone in phones:
            await invite(
                PostgresInvitationsWork(conn),
                POLICY,
                EventContext(),
                inviter,
                uuid.uuid4(),
                "sms",
                phone,
                None,
                None,
            )
    return phones


def worker(pool, standin: SmsStandIn, **options) -> tuple[DeliveryWorker, HttpSmsChannel]:
    sms = HttpSmsChannel(standin.url, "AC1", "t", "Contacts")
    return DeliveryWorker(pool, Outbox("/tests"), {"sms": sms}, POLICY, "http://x", **options), sms


async def drained(
    pool, standin: SmsStandIn, count: int, workers: int = 1, **options
) -> list[DeliveryWorker]:
    """Run `workers` delivery workers until the `count` invitations are all sent."""
    built = [worker(pool, standin, **options) for _ in range(workers)]
    tasks = [asyncio.create_task(w.run(idle_seconds=0.1)) for w, _ in built]

    async def all_sent() -> bool:
        sent = await pool.fetchval("SELECT count(*) FROM invitations WHERE status = 'sent'")
        return bool(sent == count)

    try:
        await until(all_sent, seconds=60)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for _, sms in built:
            await sms.close()
    return [w for w, _ in built]


async def test_a_batch_is_sent_concurrently_up_to_the_bound(schema_pool, migrated_invitations):
    phones = await invited(schema_pool, 30)
    with SmsStandIn(delay_seconds=0.2) as standin:
        await drained(schema_pool, standin, 30, per_second=1000, concurrency=10)
    assert standin.max_in_flight == 10  # ten at a time, never more
    assert sorted(m["To"] for m in standin.delivered.values()) == sorted(phones)
    assert len(standin.requests) == 30  # none twice
    assert await schema_pool.fetchval("SELECT count(*) FROM outbox") == 30  # InvitationSent


async def test_the_rate_holds_across_concurrent_sends(
    schema_pool, migrated_invitations, monkeypatch
):
    """The pacer books at most 10 starts in any second however many sends are in flight, and
    no send reaches the provider before its booked start. (The provider itself may see a few
    arrive together: a loaded machine can hold back sends booked apart and let them go at
    once, which no pacing can prevent; counted at the stand-in, CI once saw 14 in a second.)"""
    booked: list[float] = []
    book = SendPacer.book

    def recorded(pacer: SendPacer) -> float:
        booked.append(book(pacer))
        return booked[-1]

    monkeypatch.setattr(SendPacer, "book", recorded)
    await invited(schema_pool, 25)
    with SmsStandIn(delay_seconds=0.2) as standin:
        await drained(schema_pool, standin, 25, per_second=10, concurrency=20)
    busiest = max(sum(t <= s < t + 1.0 for s in booked) for t in booked)
    assert busiest <= 10 + 1  # 10/s: a window of w seconds holds w x 10 + 1 starts at most
    arrivals = sorted(standin.arrivals)
    assert len(arrivals) == 25
    # the k-th arrival comes no sooner than the k-th booked start: none went before its turn
    assert all(came >= due for came, due in zip(arrivals, sorted(booked), strict=False))
    assert standin.max_in_flight >= 2  # paced starts still overlap a slow provider's answers


async def test_two_concurrent_workers_send_each_message_once(schema_pool, migrated_invitations):
    phones = await invited(schema_pool, 40)
    with SmsStandIn(delay_seconds=0.2) as standin:  # a second for one worker alone
        one, two = await drained(
            schema_pool, standin, 40, workers=2, per_second=1000, concurrency=8
        )
    assert Counter(r["To"] for r in standin.requests) == Counter(phones)  # one request each
    assert one.sent > 0 and two.sent > 0 and one.sent + two.sent == 40


async def test_a_send_whose_turn_comes_late_in_the_lease_is_given_back_unsent(
    schema_pool, migrated_invitations
):
    await invited(schema_pool, 5)
    with SmsStandIn() as standin:
        # one send a second, a lease of 1 s: only the first may start in its first half
        sender, sms = worker(
            schema_pool, standin, per_second=1, concurrency=5, lease=timedelta(seconds=1)
        )
        try:
            assert await sender.deliver_due() == 5
        finally:
            await sms.close()
    assert len(standin.requests) == 1
    rows = await schema_pool.fetch("SELECT status, attempts FROM deliveries ORDER BY status")
    assert [(r["status"], r["attempts"]) for r in rows] == [("queued", 0)] * 4 + [("sent", 1)]


@pytest.fixture
async def migrated_invitations(schema_pool, service_schema):
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, discover("invitations", MIGRATIONS))
