"""Progress: the longest stall of each counter, from the start to the end of the watch, and
none counted once a counter reached its goal (on a clock of the test's: one tick a sample)."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from .progress import Progress

pytestmark = pytest.mark.unit


async def test_the_longest_stall_and_the_peak_of_each_counter() -> None:
    ticks = itertools.count()
    samples = iter([0, 1, 1, 1, 1, 2, 3] + [3] * 20)  # stalled for 4 samples from the 1st
    events = iter(range(100))  # grows at every sample: never stalled longer than a tick
    done = asyncio.Event()

    async def rows() -> int:
        if (value := next(samples)) == 3 and not done.is_set():
            asyncio.get_running_loop().call_later(0.05, done.set)  # idle a while, then stop
        return value

    async def read_events() -> int:
        return next(events)

    progress = Progress({"rows": rows, "events": read_events}, {"rows": 3}, interval=0.001,
                        clock=lambda: float(next(ticks)))  # fmt: skip
    await progress.watch(done)

    assert progress.stalls["rows"] == 4.0  # not the idle time after the goal
    assert progress.stall_began["rows"] == 1.0
    assert progress.stalls["events"] == 1.0
    assert progress.peaks["rows"] == 3
