"""Each delivery worker's share of the provider's rate: SENDS_PER_SECOND is the provider's rate
for the whole service, and every worker (one per process) paces its sends at that rate divided
by the workers running.

Each worker marks itself seen every `heartbeat` seconds in the service's database
(`send_workers`) and counts the workers seen within three heartbeats, itself included: its
share follows at once. A worker that stops leaves (the others' shares grow at their next
heartbeat); one that dies is forgotten three heartbeats later (the others send less until
then, never more). A worker that joins others sends nothing for a heartbeat and a half, by
which time each of them has counted it and slowed down: the provider never sees more than
its rate while the count changes. Without the database (it is down), a worker keeps the share
it had; it cannot claim or record anything then either.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Protocol

import structlog

from invitations_service.adapters import metrics
from invitations_service.handlers.sending.pacing import SendPacer

log = structlog.get_logger(__name__)

HEARTBEAT_SECONDS = 2.0
LIVE_FOR = timedelta(seconds=3 * HEARTBEAT_SECONDS)  # a worker not seen for this long is gone
JOIN_WAIT_HEARTBEATS = 1.5  # a joining worker's wait for the others to have counted it


class Workers(Protocol):
    async def beat(self) -> int:
        """Mark this worker seen; how many workers are running, this one included."""
        ...

    async def leave(self) -> None: ...


class RateShare:
    def __init__(
        self, workers: Workers, pacer: SendPacer, total_per_second: float,
        heartbeat: float = HEARTBEAT_SECONDS, clock: Callable[[], float] = time.monotonic,
    ) -> None:  # fmt: skip
        self.workers, self.pacer, self.total = workers, pacer, total_per_second
        self.heartbeat, self._clock = heartbeat, clock
        self.running = 1

    async def join(self) -> None:
        """Before the first send: this worker counted, its share set, and when others run, its
        first send held until they have counted it too. Waits for the database."""
        while True:
            if await self._beaten():
                break
            await asyncio.sleep(self.heartbeat)  # the database is down: again a beat later
        if self.running > 1:
            self.pacer.hold_until(self._clock() + JOIN_WAIT_HEARTBEATS * self.heartbeat)

    async def keep(self) -> None:
        """Follow the workers running, a heartbeat at a time, until cancelled."""
        while True:
            await asyncio.sleep(self.heartbeat)
            await self._beaten()

    async def leave(self) -> None:
        await self.workers.leave()

    async def _beaten(self) -> bool:
        """A heartbeat, the share following it; False when the database did not answer (the
        share stays as it was)."""
        try:
            running = await self.workers.beat()
        except Exception as exc:
            log.warning("delivery.rate_share_failed", error=repr(exc))
            return False
        if running != self.running:
            log.info("delivery.rate_share", workers=running, per_second=self.total / running)
        self.running = running
        self.pacer.set_rate(self.total / running)
        metrics.set_send_rate(self.total / running)
        return True
