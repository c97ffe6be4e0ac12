"""The request processor: handles the queued InvitationRequested a batch at a time.

Each batch is taken from the queue and handled in one transaction (decide.py); the
refusals are counted once it commits, so a batch that is rolled back and retried is counted
once. A batch that fails for a reason of its own (not Postgres being away) is retried one
request at a time, and a request that fails alone is kept aside with its error
(`invitation_requests.failed_at`) so that the rest of the queue moves on.
"""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg
import structlog
from contacts_events import EventContext
from contacts_messaging.outbox import Outbox
from contacts_servicekit.db import is_transient

from invitations_service.adapters.metrics import count_refused
from invitations_service.adapters.unit_of_work import PostgresInvitationsWork
from invitations_service.domain.invitation import StagedRequest
from invitations_service.domain.policy import Policy
from invitations_service.handlers.sending import queue as requests_queue
from invitations_service.handlers.sending.decide import handle_batch

log = structlog.get_logger(__name__)


class RequestProcessor:
    def __init__(
        self, policy: Policy, outbox: Outbox, batch: int = 500, idle_seconds: float = 1.0,
        linger_seconds: float = 0.05,
    ) -> None:  # fmt: skip
        self.policy, self.outbox, self.batch = policy, outbox, batch
        self.idle_seconds, self.linger_seconds = idle_seconds, linger_seconds
        self.handled = 0
        self._staged = asyncio.Event()

    def wake(self) -> None:
        """A request was queued (not committed yet): look at the queue soon."""
        self._staged.set()

    async def run(self, pool: asyncpg.Pool) -> None:
        """Handle the queue until cancelled; between batches, wait for `wake` (or a while)."""
        while True:
            try:
                if await self.handle_due(pool) < self.batch:
                    await self._wait()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("requests.processor_retry", error=repr(exc))
                await asyncio.sleep(2)

    async def handle_due(self, pool: asyncpg.Pool) -> int:
        """Handle one batch of queued requests; how many were taken from the queue."""
        try:
            async with pool.acquire() as conn, conn.transaction():
                staged = await requests_queue.take(conn, self.batch)
                refusals = await self._decide(conn, staged)
        except Exception as exc:
            if is_transient(exc):
                raise
            log.warning("requests.batch_failed", error=repr(exc))
            return await self._one_by_one(pool)
        self._committed(len(staged), refusals)
        return len(staged)

    async def _one_by_one(self, pool: asyncpg.Pool) -> int:
        async with pool.acquire() as conn:
            positions = await requests_queue.waiting(conn, self.batch)
        for position in positions:
            try:
                async with pool.acquire() as conn, conn.transaction():
                    staged = await requests_queue.take_one(conn, position)
                    refusals = await self._decide(conn, staged)
            except Exception as exc:
                if is_transient(exc):
                    raise
                log.error("requests.request_failed", position=position, error=repr(exc))
                async with pool.acquire() as conn:
                    await requests_queue.mark_failed(conn, position, repr(exc))
                continue
            self._committed(len(staged), refusals)
        return len(positions)

    async def _decide(self, conn: asyncpg.Connection, staged: list[StagedRequest]) -> list[str]:
        """Handle the requests taken in `conn`'s transaction; the refusals' codes."""
        work = PostgresInvitationsWork(conn)
        refusals = await handle_batch(work, self.policy, staged)
        await work.write_events(self.outbox, EventContext())  # each refusal in its own
        return refusals

    def _committed(self, handled: int, refusals: list[str]) -> None:
        self.handled += handled
        for code in refusals:
            count_refused(code)

    async def _wait(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._staged.wait(), self.idle_seconds)
        self._staged.clear()
        await asyncio.sleep(self.linger_seconds)  # the consumer commits; more requests arrive
