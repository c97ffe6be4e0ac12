"""Handing the messages an API request queues straight to this process's delivery worker.

In the request's transaction such a message is stored already claimed by this process's worker
(`sending`, its first attempt, a lease), and when the transaction has committed the worker
gets it in memory and sends it: no claim statement, no wait for the worker's next claim. A
rolled-back request hands nothing (its rows are gone with it). A worker that cannot start the
message within its claim horizon (all its sends in flight, the provider's rate booked ahead)
gives it back to the queue, as it gives back any claimed message it could not start, and the
next claim takes it; a process that dies between the commit and the send leaves the claim to
expire, and whichever worker claims it then sends it with the same delivery id, the
provider's idempotency key: one message, as for any claim.

Messages queued otherwise (the request processor's, a retry) are found by the worker's claim.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol


class Intake(Protocol):
    """What a hand-over needs of the delivery worker (worker.py)."""

    @property
    def accepting(self) -> bool: ...
    @property
    def lease(self) -> timedelta: ...
    def take(self, claimed: Sequence[Any], lease_ends: float) -> None: ...


@dataclass
class Claims:
    """The messages one request's transaction claimed for the worker (each a row as the
    worker's claim reads it), and when (time.monotonic) their lease ends at the latest."""

    lease: timedelta
    lease_ends: float
    rows: list[Any] = field(default_factory=list)


class HandOver:
    def __init__(self) -> None:
        self._worker: Intake | None = None

    def attach(self, worker: Intake | None) -> None:
        """The process's delivery worker (None: there is none now)."""
        self._worker = worker

    @contextlib.asynccontextmanager
    async def handing(self) -> AsyncIterator[Claims | None]:
        """Around a request's transaction: what it claims (None when no worker takes
        messages now: they are queued), handed to the worker when the block ends without an
        error, after the commit. Entered before the transaction: the lease counted from here
        ends no later than the one the transaction writes."""
        worker = self._worker
        if worker is None or not worker.accepting:
            yield None
            return
        claims = Claims(worker.lease, time.monotonic() + worker.lease.total_seconds())
        yield claims
        if claims.rows:
            worker.take(claims.rows, claims.lease_ends)
