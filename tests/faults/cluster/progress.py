"""Counters sampled while a fault lasts: for each, the longest time it did not grow (a stall:
no row validated, no event reaching Kafka) and the highest value it reached (an outbox's
backlog at its peak)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

Counter = Callable[[], Awaitable[int]]


@dataclass
class Progress:
    counters: dict[str, Counter]
    goals: dict[str, int] = field(default_factory=dict)
    """Per counter: the value at which it is done (all rows validated): no stall after it."""
    interval: float = 0.25
    clock: Callable[[], float] = time.monotonic
    started: float = field(init=False)
    stalls: dict[str, float] = field(default_factory=dict)
    """Per counter: the longest time (s) between two increases (or from the start / to the end)."""
    stall_began: dict[str, float] = field(default_factory=dict)
    """Per counter: when its longest stall began, in seconds after `started` (the fault)."""
    peaks: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.started = self.clock()

    async def watch(self, until: asyncio.Event) -> None:
        """Sample every `interval` s until `until` is set."""
        values = {name: await read() for name, read in self.counters.items()}
        grew = dict.fromkeys(values, self.started)
        self.peaks = dict(values)
        while not until.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(until.wait(), self.interval)
            now = self.clock()
            for name, read in self.counters.items():
                if values[name] >= self.goals.get(name, 1 << 62):
                    continue
                value = await read()
                if value > values[name] or until.is_set():
                    self._gap(name, grew[name], now)
                    grew[name] = now
                values[name], self.peaks[name] = value, max(self.peaks[name], value)

    def _gap(self, name: str, since: float, now: float) -> None:
        if now - since > self.stalls.get(name, 0.0):
            self.stalls[name] = round(now - since, 1)
            self.stall_began[name] = round(since - self.started, 1)

    def summary(self) -> dict[str, object]:
        return {
            "longest_stall": self.stalls,
            "stall_began_after": self.stall_began,
            "peaks": self.peaks,
        }
