"""Pacing the delivery worker's sends to the provider's rate, however many are in flight.

Each send books its start time: the first at once, each next one `1 / per_second` after the
previous booking (a token bucket of depth one). Booking is synchronous, so sends started
together by one event loop never share a start, and any window of `w` seconds holds at most
`w * per_second + 1` starts. `per_second` is this worker's share of the provider's rate
(rate_share.py), and changes when workers come and go.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable


class SendPacer:
    def __init__(self, per_second: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_second = per_second
        self.interval = 1 / per_second
        self._clock = clock
        self._next = -math.inf

    def set_rate(self, per_second: float) -> None:
        """Pace the sends booked from now on at `per_second`."""
        self.per_second = per_second
        self.interval = 1 / per_second

    def hold_until(self, at: float) -> None:
        """Book no start before `at` (the `clock`'s time)."""
        self._next = max(self._next, at)

    def book(self) -> float:
        """Book the next start: the `clock` time at which that send may begin."""
        start = max(self._clock(), self._next)
        self._next = start + self.interval
        return start

    def backlog(self) -> float:
        """Seconds until a send booked now could begin (0 when at once)."""
        return max(0.0, self._next - self._clock())

    def bookable_within(self, seconds: float) -> int:
        """How many sends booked now would all begin within `seconds`."""
        spare = seconds - self.backlog()
        return math.floor(spare * self.per_second) + 1 if spare >= 0 else 0
