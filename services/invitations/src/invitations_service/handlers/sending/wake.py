"""Waking this process's delivery worker when messages were queued again by it (handed over by
its API but not startable at once: handover.py), instead of leaving them to the worker's next
poll (up to `idle_seconds`, half a second, later).

The wake is in-process: it is set once the transaction that queued the messages again has
committed, so a claim that follows sees the rows, and no `pg_notify` is added to a queueing
statement (a notifying commit takes a cluster-wide lock until its WAL is flushed: a wake per
invitation through Postgres made both services fall seconds behind at 200 writes a second,
bench/README.md "write to event"). Other instances, and messages queued by the request
processor, are found by the poll.

Wakes are coalesced: a woken worker claims no sooner than `linger_seconds` after its previous
claim (as the relay's producer lingers), so claims per second stay at most `1 / linger`
however many messages come back, and everything queued meanwhile is claimed together.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time


class DeliveryWake:
    def __init__(self, linger_seconds: float) -> None:
        self.linger_seconds = linger_seconds
        self._queued = asyncio.Event()
        self._last_claim = -math.inf
        self.waiting = False  # the worker found nothing more due and waits for a wake or its poll

    def queued(self) -> None:
        """A transaction of this process committed a message to send."""
        self._queued.set()

    def claiming(self) -> None:
        """The worker is about to claim: a message queued from now on wakes its next wait
        (one committed before is seen by this claim)."""
        self._queued.clear()
        self._last_claim = time.monotonic()

    async def wait(self, idle_seconds: float) -> None:
        """Until a message is queued, then until `linger_seconds` after the last claim; or
        `idle_seconds` (the poll)."""
        self.waiting = True
        try:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(idle_seconds):
                    await self._queued.wait()
        finally:
            self.waiting = False
        await asyncio.sleep(max(0.0, self._last_claim + self.linger_seconds - time.monotonic()))
