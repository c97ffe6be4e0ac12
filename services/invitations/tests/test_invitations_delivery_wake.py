"""The delivery worker's wake (delivery_wake.py): a message queued by this process is claimed
without waiting for the worker's poll, and wakes are coalesced to one claim per linger.

The polls and lingers here are an hour long, so that only the wake can explain a claim and
only the linger can explain a wait: no assertion depends on how fast the machine is."""

from __future__ import annotations

import asyncio

import pytest
from invitations_service.handlers.sending.wake import DeliveryWake, waking
from prometheus_client import REGISTRY

from .sms_standin import SmsStandIn
from .test_invitations_delivery_concurrency import (  # noqa: F401 - a fixture of that module
    invited,
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
    async with waking(wake):
        pass  # the transaction that queued a message committed
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


@pytest.mark.unit
async def test_a_failed_transaction_wakes_nobody() -> None:
    wake = DeliveryWake(linger_seconds=0.0)
    wake.claiming()
    with pytest.raises(RuntimeError):
        async with waking(wake):
            raise RuntimeError("rolled back")
    assert await stays_waiting(wake)


@pytest.mark.integration
@pytest.mark.usefixtures("migrated_invitations")
async def test_an_idle_worker_sends_a_new_invitation_when_woken_before_its_poll_is_due(
    schema_pool,
) -> None:
    wake = DeliveryWake(linger_seconds=0.02)
    claims_before = claims()
    with SmsStandIn() as standin:
        sender, sms = worker(schema_pool, standin, wake=wake)
        task = asyncio.create_task(sender.run(idle_seconds=AN_HOUR))
        try:
            await until(lambda: is_waiting(wake), seconds=30)  # its first claim found nothing
            async with waking(wake):
                phones = await invited(schema_pool, 3)
            await until(lambda: all_sent(schema_pool, 3), seconds=30)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await sms.close()
    assert sorted(m["To"] for m in standin.delivered.values()) == sorted(phones)
    assert claims() - claims_before == 2  # the first, the woken


def claims() -> float:
    return REGISTRY.get_sample_value("invitation_delivery_claims_total") or 0.0


async def is_waiting(wake: DeliveryWake) -> bool:
    return wake.waiting


async def all_sent(pool, count: int) -> bool:
    sent = await pool.fetchval("SELECT count(*) FROM invitations WHERE status = 'sent'")
    return bool(sent == count)
