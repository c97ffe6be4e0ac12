"""The delivery worker: sends queued messages through their channel, many at a time, at the
provider's rate (SENDS_PER_SECOND, shared by the service's workers: rate_share.py).

Due deliveries are claimed by one statement, committed on its own (status `sending`, one
more attempt, a lease) before any is handed to the provider, with the delivery id as the
provider's idempotency key. Up to `concurrency` sends are in flight at once; each waits for
its turn from the pacer (`per_second` starts a second, across all of them), and the worker
claims no more than can start within a second. A send starts only in the first half of its lease and
is abandoned before the lease ends (then retried), so one attempt is never in flight twice; a
worker that dies mid-send leaves the claim to expire, and the next attempt uses the same key,
which the provider recognises: one message, not two. The results are recorded in batches
(results.py), and counted in the metrics once committed.

A message this process's API queued is claimed for this worker in the request's transaction
and handed to it at the commit (`take`, handover.py): sent at once, without a claim, or given
back to the queue when it could not start within the claim horizon. An idle worker claims
again when its poll (`idle_seconds`) is due, or sooner when it gave messages back (`wake`,
wake.py: coalesced, so claims stay bounded).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import asyncpg
import structlog
from contacts_channels import Channel, DeliveryFailure, Message, TemporaryFailure
from contacts_messaging.outbox import Outbox

from invitations_service.adapters import deliveries_repository as deliveries
from invitations_service.adapters import metrics
from invitations_service.adapters.invitation_wording import Invitation, invitation_message
from invitations_service.domain.policy import Policy
from invitations_service.handlers.sending.pacing import SendPacer
from invitations_service.handlers.sending.rate_share import RateShare, Workers
from invitations_service.handlers.sending.results import Attempt, record
from invitations_service.handlers.sending.wake import DeliveryWake

log = structlog.get_logger(__name__)

CLAIM_HORIZON_SECONDS = 1.0  # claim no more than can start within this (and a quarter lease)
# The results of sends in flight together are recorded together, waiting this long at most for
# the slowest: 10 ms, not 50 (bench/README.md, "The recorder's linger": a send held back by a
# busy machine held every result that came in with it for the whole wait).
RECORD_LINGER_SECONDS = 0.01
RECORD_BATCH = 500


class DeliveryWorker:
    def __init__(
        self, pool: asyncpg.Pool, outbox: Outbox, channels: Mapping[str, Channel], policy: Policy,
        link_base: str, per_second: float = 20.0, concurrency: int = 20,
        lease: timedelta = timedelta(minutes=2), wake: DeliveryWake | None = None,
        workers: Workers | None = None,
    ) -> None:  # fmt: skip
        self.pool, self.outbox, self.channels, self.policy = pool, outbox, channels, policy
        self.link_base = link_base.rstrip("/")
        self.pacer = SendPacer(per_second)
        # `per_second` shared with the service's other workers (None: this worker's alone)
        self.share = RateShare(workers, self.pacer, per_second) if workers is not None else None
        self.concurrency, self.lease = concurrency, lease
        self._lease_seconds = lease.total_seconds()
        self._horizon = min(CLAIM_HORIZON_SECONDS, self._lease_seconds / 4)
        self._refill_at = max(1, concurrency // 4)  # free slots worth a claim
        self.sent = 0
        self._sending: set[asyncio.Task[None]] = set()
        self._slot_freed = asyncio.Event()
        self.wake = wake or DeliveryWake(0.0)  # without one, only the poll finds new messages
        self._results: asyncio.Queue[Attempt] = asyncio.Queue()
        self._running = False

    @property
    def accepting(self) -> bool:
        """Whether messages may be claimed for it (handover.py): it runs, and is not stopping."""
        return self._running

    async def run(self, idle_seconds: float = 0.5) -> None:
        """Deliver until cancelled (expiry is a task of its own: handlers/expiry.py)."""
        share = self.share
        if share is not None:
            await share.join()
        recorder = asyncio.create_task(self._record_results())
        sharing = asyncio.create_task(share.keep()) if share is not None else None
        self._running = True
        try:
            while True:
                try:
                    wanted = await self._claimable()
                    if await self._start(wanted) < wanted:
                        await self.wake.wait(idle_seconds)  # nothing more due for now
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    log.warning("delivery.worker_retry", error=repr(exc))
                    await asyncio.sleep(2)
        finally:
            self._running = False
            await self._stop(recorder)
            if share is not None and sharing is not None:
                sharing.cancel()
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(share.leave(), 5)  # its share goes to the others

    def take(self, claimed: Sequence[asyncpg.Record], lease_ends: float) -> None:
        """Messages claimed for this worker by its process's requests, their transactions
        committed (handover.py): each sent now, as a claimed one, if it can start within the
        claim horizon (a free slot, the pacer not booked further ahead); otherwise given back
        to the queue by the recorder, and the worker woken to claim it when it can."""
        for row in claimed:
            taken = self._running and len(self._sending) < self.concurrency
            taken = taken and self.pacer.bookable_within(self._horizon) > 0
            metrics.count_handed_over(taken=taken)
            if taken:
                self._start_sending(row, lease_ends)
            else:
                self._results.put_nowait(Attempt(row))  # neither sent nor failed: given back

    async def deliver_due(self) -> int:
        """Claim one batch (at most `concurrency`), send it and record the results; how many
        were claimed."""
        claimed, lease_ends = await self._claim(self.concurrency)
        starts = [self.pacer.book() for _ in claimed]
        attempts = await asyncio.gather(
            *(self._attempt(row, start, lease_ends) for row, start in zip(claimed, starts, strict=True))
        )  # fmt: skip
        await self._record(list(attempts))
        return len(claimed)

    async def _claimable(self) -> int:
        """Wait for free slots and for the pacer to be less than the horizon ahead; how many
        deliveries to claim now."""
        while self.concurrency - len(self._sending) < self._refill_at:
            self._slot_freed.clear()
            await self._slot_freed.wait()
        if self.pacer.bookable_within(self._horizon) == 0:
            await asyncio.sleep(self.pacer.backlog() - self._horizon)
        bookable = max(1, self.pacer.bookable_within(self._horizon))
        return min(self.concurrency - len(self._sending), bookable)

    async def _start(self, wanted: int) -> int:
        claimed, lease_ends = await self._claim(wanted)
        for row in claimed:
            self._start_sending(row, lease_ends)
        return len(claimed)

    def _start_sending(self, row: asyncpg.Record, lease_ends: float) -> None:
        task = asyncio.create_task(self._send(row, self.pacer.book(), lease_ends))
        self._sending.add(task)
        task.add_done_callback(self._sent)

    def _sent(self, task: asyncio.Task[Any]) -> None:
        self._sending.discard(task)
        self._slot_freed.set()

    async def _claim(self, limit: int) -> tuple[list[asyncpg.Record], float]:
        """Claim up to `limit` due deliveries; and when (time.monotonic) their lease ends."""
        self.wake.claiming()
        metrics.count_claim()
        lease_ends = time.monotonic() + self._lease_seconds  # the lease starts after this
        async with self.pool.acquire() as conn:  # one statement: committed when it returns
            claimed = await deliveries.claim(conn, limit, self.lease)
        return claimed, lease_ends

    async def _send(self, row: asyncpg.Record, start: float, lease_ends: float) -> None:
        attempt = await self._attempt(row, start, lease_ends)
        current = asyncio.current_task()
        if current is not None:  # out of flight before the recorder looks at what is in flight
            self._sent(current)
        self._results.put_nowait(attempt)

    async def _attempt(self, row: asyncpg.Record, start: float, lease_ends: float) -> Attempt:
        """Send one claimed delivery at `start`, within its lease."""
        latest_start = lease_ends - self._lease_seconds / 2
        if start > latest_start:
            return Attempt(row)  # given back unsent
        await asyncio.sleep(max(0.0, start - time.monotonic()))
        if time.monotonic() > latest_start:
            return Attempt(row)
        answer_within = lease_ends - time.monotonic() - self._lease_seconds / 10
        try:
            async with asyncio.timeout(answer_within):  # no extra task per send, as wait_for makes
                result = await self.channels[row["channel"]].send(self._message(row))
            return Attempt(row, result=result)
        except TimeoutError:
            failure: DeliveryFailure = TemporaryFailure(
                "lease_ran_out", "the provider did not answer within the delivery's lease"
            )
        except DeliveryFailure as refused:
            failure = refused
        except Exception as exc:  # a channel's bug: retried like an outage, and logged
            log.exception("delivery.channel_error", delivery_id=str(row["delivery_id"]))
            failure = TemporaryFailure("channel_error", repr(exc))
        return Attempt(row, failure=failure)

    def _message(self, row: asyncpg.Record) -> Message:
        invitation = Invitation(
            inviter_name=row["inviter_name"], invitee_name=row["invitee_name"],
            link=f"{self.link_base}/invite/{row['token']}", expires_at=row["expires_at"],
        )  # fmt: skip
        to = row["phone_e164"] or row["email"]
        return invitation_message(str(row["delivery_id"]), row["channel"], to, invitation)

    async def _record_results(self) -> None:
        while True:
            batch = [await self._results.get()]
            await self._linger_while_sending()
            while not self._results.empty() and len(batch) < RECORD_BATCH:
                batch.append(self._results.get_nowait())
            for attempt in range(3):
                try:
                    await self._record(batch)
                    break
                except Exception as exc:  # the leases will bring them back
                    log.warning("delivery.record_failed", error=repr(exc), attempt=attempt + 1)
                    await asyncio.sleep(1)

    async def _linger_while_sending(self) -> None:
        """The sends in flight when a result comes in answer soon: wait for them (at most
        RECORD_LINGER_SECONDS) to record their results together. Sends started meanwhile are
        not waited for: under a steady flow of invitations one is always in flight, and
        waiting until none was held every result for the whole linger."""
        in_flight = set(self._sending)
        if in_flight:
            await asyncio.wait(in_flight, timeout=RECORD_LINGER_SECONDS)

    async def _record(self, attempts: list[Attempt]) -> None:
        if not attempts:
            return
        async with self.pool.acquire() as conn, conn.transaction():
            recorded = await record(conn, self.outbox, self.policy, attempts)
        if recorded.given_back:
            self.wake.queued()  # queued again: claimed when the worker can start them
        self.sent += len(recorded.sent)
        for channel in recorded.sent:
            metrics.count_sent(channel)
        for channel, given_up in recorded.failed:
            metrics.count_delivery_failed(channel, permanent=given_up)
        for invitation_id, code in recorded.given_up:
            log.warning("delivery.failed", invitation_id=invitation_id, code=code)

    async def _stop(self, recorder: asyncio.Task[None]) -> None:
        """Stop sending; record the results already in (the leases bring back the rest)."""
        for task in [recorder, *self._sending]:
            task.cancel()
        done = []
        while not self._results.empty():
            done.append(self._results.get_nowait())
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._record(done), 5)
