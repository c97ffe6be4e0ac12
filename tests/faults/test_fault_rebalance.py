"""Consumer groups rebalanced under load: a second importer and a second contacts instance
join their groups mid-import, take partitions, and leave again (SIGTERM) while work flows."""

from __future__ import annotations

import asyncio
import time

import pytest

from .conftest import SECOND_INSTANCE_PORTS, SIZES_IN_CI, block

pytestmark = [pytest.mark.fault, pytest.mark.e2e]  # the larger variants are `slow`


@pytest.mark.parametrize("rows", SIZES_IN_CI)
async def test_second_instances_join_and_leave_mid_import(fault_case, rows):
    case = fault_case(rows, block(rows, 21))

    async def rebalance_twice():
        started = time.monotonic()
        seconds = [
            case.platform.service_process(name, port)
            for name, port in SECOND_INSTANCE_PORTS.items()
        ]
        for process in seconds:
            process.start()
        for process in seconds:
            await asyncio.to_thread(process.wait_for, "/ready", 200, 120)
        case.notes["second_instances_ready_after"] = round(time.monotonic() - started, 1)
        await asyncio.sleep(10)  # both groups share the partitions with them for a while
        for process in seconds:
            assert await asyncio.to_thread(process.terminate) in (0, -15)
        case.recoveries.append(round(time.monotonic() - started, 1))

    await case.run(on_import=rebalance_twice)
