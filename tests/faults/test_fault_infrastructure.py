"""The broker SIGKILLed mid-import, Postgres restarted mid-import, and Kafka down for a while
during which every API keeps accepting work (the outboxes grow, then drain)."""

from __future__ import annotations

import asyncio
import time

import pytest

from .conftest import FULL, IN_CI, QUICK, SIZES_IN_CI, block
from .outage_work import accept_work_during_outage, prepare_outage_work

pytestmark = [pytest.mark.fault, pytest.mark.e2e]  # the larger variants are `slow`


async def crash_and_restart(case, component, down_seconds: float) -> None:
    await asyncio.to_thread(component.kill)
    await asyncio.sleep(down_seconds)
    started = time.monotonic()
    await asyncio.to_thread(component.start)
    await asyncio.to_thread(case.back_up, started)


@pytest.mark.parametrize("rows", SIZES_IN_CI)
async def test_kafka_killed_and_restarted_mid_import(fault_case, rows):
    case = fault_case(rows, block(rows, 11))
    await case.run(on_import=lambda: crash_and_restart(case, case.platform.kafka, 5))


@pytest.mark.parametrize("rows", SIZES_IN_CI)
async def test_postgres_restarted_mid_import(fault_case, rows):
    case = fault_case(rows, block(rows, 12))
    await case.run(on_import=lambda: crash_and_restart(case, case.platform.postgres, 2))


@pytest.mark.parametrize("rows", SIZES_IN_CI)
async def test_kafka_down_for_a_minute_while_the_apis_accept_work(fault_case, rows):
    case = fault_case(rows, block(rows, 13))
    outage = {QUICK: 20, IN_CI: 30, FULL: 60}[rows]
    work = await prepare_outage_work(case.platform, case.block)

    async def outage_mid_import():
        await asyncio.to_thread(case.platform.kafka.kill)
        await accept_work_during_outage(case, work, outage)
        started = time.monotonic()
        await asyncio.to_thread(case.platform.kafka.start)
        await asyncio.to_thread(case.back_up, started)

    await case.run(on_import=outage_mid_import)
    await work.finished(case)
