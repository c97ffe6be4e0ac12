"""Messages an API request queues, handed to this process's delivery worker at the commit
(handover.py), and the worker's wake (wake.py) for those it gives back to the queue.

The polls and lingers here are an hour long, so that only a hand-over or a wake can explain a
send and only the linger can explain a wait: no assertion depends on how fast the machine is."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from contacts_events import EventContext
from invitations_service.adapters.unit_of_work import PostgresInvitationsWork
from invitations_service.handlers.inviting import invite
from invitations_service.handlers.sending.handover import HandOver
from invitations_service.handlers.sending.wake import DeliveryWake
from invitations_service.handlers.sending.worker import DeliveryWorker
from prometheus_client import REGISTRY

from .sms_standin import SmsStandIn
from .test_invitations_delivery_concurrency import (  # noqa: F401 - a fixture of that module
    POLICY,
    migrated_invitations,
    until,
    worker,
)

AN_HOUR = 3600.0
A_MOMENT = 0.2  # long enough for a task that could finish to run; nothing waits on it


async def stays_waiting(wake: DeliveryWake) -> bool:
    """Whether the worker's next wait is still on a moment later (the poll is an hour away)."""
    wait = asyncio.create_task(wake.wait(AN_HOUR))
    try:
        await asyncio.sleep(A_MOMENT)
        return not wait.done()
    finally:
        wait.cancel()


@pytest.mark.unit
async def test_a_message_queued_after_the_claim_ends_the_wait_before_the_poll() -> None:
    wake = DeliveryWake(linger_seconds=0.0)
    wake.claiming()
    wake.queued()  # messages given back committed
    async with asyncio.timeout(60):  # the poll is an hour away
        await wake.wait(AN_HOUR)


@pytest.mark.unit
async def test_a_message_queued_before_the_claim_does_not_wake_the_next_wait() -> None:
    wake = DeliveryWake(linger_seconds=0.0)
    wake.queued()
    wake.claiming()  # this claim sees it
    assert await stays_waiting(wake)


@pytest.mark.unit
async def test_a_woken_worker_claims_no_sooner_than_the_linger_after_its_last_claim() -> None:
    wake = DeliveryWake(linger_seconds=AN_HOUR)
    wake.claiming()
    wake.queued()
    assert await stays_waiting(wake)  # coalesced: woken, but held until the linger ends


class Intake:
    """A worker as a hand-over sees it, recording what it was given."""

    def __init__(self, accepting: bool = True) -> None:
        self.accepting, self.lease = accepting, timedelta(minutes=2)
        self.taken: list[Any] = []

    def take(self, claimed: Sequence[Any], lease_ends: float) -> None:
        self.taken.extend(claimed)


@pytest.mark.unit
async def test_what_a_request_claimed_is_handed_over_only_when_its_block_ends_without_error():
    intake, handover = Intake(), HandOver()
    handover.attach(intake)

    async def failing() -> None:
        async with handover.handing() as claims:
            assert claims is not None
            claims.rows.append("rolled back")
            raise RuntimeError("the transaction failed")

    with pytest.raises(RuntimeError):
        await failing()
    async with handover.handing() as claims:
        assert claims is not None and claims.lease == intake.lease
        claims.rows.append("committed")
    assert intake.taken == ["committed"]


@pytest.mark.unit
@pytest.mark.parametrize("attached", [None, Intake(accepting=False)], ids=["none", "stopped"])
async def test_nothing_is_claimed_without_a_worker_that_takes_messages(attached) -> None:
    handover = HandOver()
    handover.attach(attached)
    async with handover.handing() as claims:
        assert claims is None  # the request queues its messages for any worker's claim


async def invite_handing_over(pool, handover: HandOver, phones: list[str]) -> None:
    """One request inviting `phones` (one inviter), its messages handed over at its commit."""
    inviter = uuid.uuid4()
    async with handover.handing() as claims, pool.acquire() as conn, conn.transaction():
        for phone in phones:
            work = PostgresInvitationsWork(conn, claims)
            await invite(work, POLICY, EventContext(), inviter, uuid.uuid4(), "sms", phone,
                         None, None)  # fmt: skip


async def started(sender: DeliveryWorker, wake: DeliveryWake) -> asyncio.Task[None]:
    """The worker running with an hour-long poll, once its first claim found nothing."""
    task = asyncio.create_task(sender.run(idle_seconds=AN_HOUR))

    async def waiting() -> bool:
        return wake.waiting

    await until(waiting, seconds=30)
    return task


async def stopped(task: asyncio.Task[None]) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


@pytest.mark.integration
@pytest.mark.usefixtures("migrated_invitations")
async def test_a_message_handed_over_is_sent_without_a_claim(schema_pool) -> None:
    wake, handover = DeliveryWake(linger_seconds=0.0), HandOver()
    claims_before, taken_before = claims(), handed_over("true")
    phones = ["+33612350001", "+33612350002", "+33612350003"]
    with SmsStandIn() as standin:
        sender, sms = worker(schema_pool, standin, wake=wake)
        handover.attach(sender)
        task = await started(sender, wake)
        try:
            await invite_handing_over(schema_pool, handover, phones)
            await until(lambda: all_sent(schema_pool, 3), seconds=30)
        finally:
            await stopped(task)
            await sms.close()
    assert sorted(m["To"] for m in standin.delivered.values()) == phones
    assert claims() - claims_before == 1  # the first, which found nothing; none since
    assert handed_over("true") - taken_before == 3
    rows = await schema_pool.fetch("SELECT status, attempts FROM deliveries")
    assert [(r["status"], r["attempts"]) for r in rows] == [("sent", 1)] * 3


@pytest.mark.integration
@pytest.mark.usefixtures("migrated_invitations")
async def test_a_worker_without_a_free_slot_gives_messages_back_and_claims_them(
    schema_pool,
) -> None:
    wake, handover = DeliveryWake(linger_seconds=0.0), HandOver()
    given_back_before = handed_over("false")
    phones = [f"+336123500{n:02d}" for n in range(4)]
    with SmsStandIn(delay_seconds=0.2) as standin:
        sender, sms = worker(schema_pool, standin, wake=wake, concurrency=1)
        handover.attach(sender)
        task = await started(sender, wake)
        try:
            await invite_handing_over(schema_pool, handover, phones)
            await until(lambda: all_sent(schema_pool, 4), seconds=30)  # the poll: an hour away
        finally:
            await stopped(task)
            await sms.close()
    assert handed_over("false") - given_back_before == 3  # one slot: the first taken
    assert Counter(r["To"] for r in standin.requests) == Counter(phones)  # once each
    assert standin.max_in_flight == 1
    rows = await schema_pool.fetch("SELECT status, attempts FROM deliveries")
    assert [(r["status"], r["attempts"]) for r in rows] == [("sent", 1)] * 4


@pytest.mark.integration
@pytest.mark.usefixtures("migrated_invitations")
async def test_a_message_claimed_for_a_process_that_died_is_sent_by_the_next_claim(
    schema_pool,
) -> None:
    """Claimed for a worker that never got it (its process died after the commit): the lease
    runs out and a claim takes it (a second attempt), with the same key for the provider."""
    gone = Intake()
    gone.lease = timedelta(seconds=1)
    handover = HandOver()
    handover.attach(gone)
    await invite_handing_over(schema_pool, handover, ["+33612350009"])
    assert len(gone.taken) == 1
    assert await schema_pool.fetchval("SELECT status FROM deliveries") == "sending"
    with SmsStandIn() as standin:
        sender, sms = worker(schema_pool, standin)
        try:
            await until(lambda: claimed_one(sender), seconds=30)
        finally:
            await sms.close()
    assert [m["To"] for m in standin.delivered.values()] == ["+33612350009"]
    delivery = await schema_pool.fetchrow("SELECT delivery_id, status, attempts FROM deliveries")
    assert (delivery["status"], delivery["attempts"]) == ("sent", 2)
    assert list(standin.delivered) == [str(delivery["delivery_id"])]  # the provider's key


def claims() -> float:
    return REGISTRY.get_sample_value("invitation_delivery_claims_total") or 0.0


def handed_over(taken: str) -> float:
    return (
        REGISTRY.get_sample_value("invitation_deliveries_handed_over_total", {"taken": taken})
        or 0.0
    )


async def claimed_one(sender: DeliveryWorker) -> bool:
    return await sender.deliver_due() == 1


async def all_sent(pool, count: int) -> bool:
    sent = await pool.fetchval("SELECT count(*) FROM invitations WHERE status = 'sent'")
    return bool(sent == count)
