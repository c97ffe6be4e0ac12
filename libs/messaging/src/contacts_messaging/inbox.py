"""Idempotent consumption: apply each event exactly once per consumer, commit, then ack.

A batch of records is applied in one database transaction, each event inside its own
savepoint that first records `(consumer, event_id)` in the inbox: an event already there is
a redelivery and is skipped. Only after the transaction commits does the caller commit the
Kafka offsets, so a crash anywhere before that redelivers the batch and the inbox absorbs it.

Failures are sorted in two kinds. Transient ones (Postgres or the network down) abort the
batch and are raised, so the subscriber rewinds and tries again later: an outage never
dead-letters good events. Anything else is the event's own fault: it is retried alone a
bounded number of times and then dead-lettered, and the rest of the partition moves on.

A consumer may also have batch handlers (by event name). When every event of a batch has one,
the batch is applied together first: one statement records all the inbox rows (a redelivered
event is skipped as above), and each run of events of one name goes to its handler at once, in
order, in the same transaction: two round trips instead of four per event. If a batch handler
fails for a reason of its own, that transaction rolls back and the batch is applied one event
at a time as above (so a bad event is still retried alone and dead-lettered).

A consumer may take locks for the whole batch before its first event is applied (`locks`,
e.g. accounts/batch_locks.py), in each transaction it applies events in: taken event by event
across a batch, locks two transactions both want can be taken in opposite orders.

A consumer whose events do not depend on each other (the importer's work items: one chunk of
rows each) may apply a batch's events side by side (`side_by_side=n`): each in a transaction
of its own, on a connection of its own, at most n at once, each one finished starting the next
of the batch (never in lockstep: a long event does not hold the other slots idle), all awaited
before the offsets are committed. While one waits for Postgres another runs its Python, so one
process keeps two cores busy. The order of the batch's events is then not kept, and a transient
failure of one lets the others commit first (none starts after it): the rewind redelivers them
too, and the inbox skips those that committed.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

import asyncpg
import structlog
from contacts_events.envelope import CloudEvent
from contacts_events.kafka_binding import EventDecodeError, from_record
from contacts_events.registry import EventRegistry, registry
from contacts_servicekit.db import is_transient
from structlog.contextvars import bound_contextvars

from contacts_messaging.backoff import Backoff
from contacts_messaging.dead_letters import DeadLetters, Record
from contacts_messaging.metrics import count_consumed

log = structlog.get_logger(__name__)

Handler = Callable[[CloudEvent, asyncpg.Connection], Awaitable[None]]
"""Applies one event using the given connection, inside the inbox's transaction."""

BatchHandler = Callable[[Sequence[CloudEvent], asyncpg.Connection], Awaitable[None]]
"""Applies several events of one name, in their order, inside the inbox's transaction. In
addition to that name's `Handler`, which applies the events one at a time when a batch fails."""

BatchLocks = Callable[[Sequence[CloudEvent], asyncpg.Connection], Awaitable[None]]
"""Takes the locks a batch's events need, in the inbox's transaction, before they are applied."""

_RECORD = """
INSERT INTO inbox (consumer, event_id, event_type, topic, partition, "offset")
VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING true
"""

_RECORD_MANY = """
INSERT INTO inbox (consumer, event_id, event_type, topic, partition, "offset")
SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::bigint[])
ON CONFLICT DO NOTHING RETURNING event_id
"""


@dataclass
class _Pending:
    record: Record
    event: CloudEvent
    error: str = ""


class InboxConsumer:
    def __init__(
        self,
        pool: asyncpg.Pool,
        group: str,
        handlers: Mapping[str, Handler],
        dead_letters: DeadLetters,
        *,
        max_attempts: int = 3,
        events: EventRegistry = registry,
        after_commit: Callable[[Sequence[CloudEvent]], Awaitable[None]] | None = None,
        batch_handlers: Mapping[str, BatchHandler] | None = None,
        side_by_side: int = 0,
        locks: BatchLocks | None = None,
    ) -> None:
        self.pool = pool
        self.group = group
        self.handlers = dict(handlers)  # event name -> handler
        self.batch_handlers = dict(batch_handlers or {})  # event name -> handler of many
        self.dead_letters = dead_letters
        self.max_attempts = max_attempts
        self.events = events  # the event types this consumer can read
        self.after_commit = after_commit  # observation / fault-injection point for tests
        self.side_by_side = side_by_side  # > 0: each in its own transaction, this many at once
        self.locks = locks  # taken for a transaction's events before the first is applied
        self.applied = 0
        self.duplicates = 0

    async def process(self, records: Sequence[Record]) -> None:
        """Apply a batch; raise only for transient failures (the caller then rewinds)."""
        pending: list[_Pending] = []
        ignored: list[tuple[str, str]] = []
        for record in records:
            try:
                event = from_record(record.key, record.value, record.headers, self.events)
            except EventDecodeError as exc:
                await self.dead_letters.publish(record, f"undecodable: {exc}", attempts=0)
                continue
            if event.name in self.handlers:
                pending.append(_Pending(record, event))
            else:
                ignored.append((record.topic, event.name))
        count_consumed(self.group, "ignored", ignored)
        failed = await self._apply_batch(pending)
        backoff = Backoff(initial=0.1, maximum=2.0)
        for _attempt in range(2, self.max_attempts + 1):
            if not failed:
                break
            await backoff.sleep()
            failed = [f for item in failed for f in await self._apply([item])]
        for item in failed:
            await self.dead_letters.publish(
                item.record, item.error, attempts=self.max_attempts, event_name=item.event.name
            )

    async def _apply_batch(self, batch: list[_Pending]) -> list[_Pending]:
        """Apply a fresh batch; return the items whose handler failed."""
        if self.side_by_side and len(batch) > 1:
            return await self._apply_side_by_side(batch)
        return [] if await self._applied_together(batch) else await self._apply(batch)

    async def _apply_side_by_side(self, batch: list[_Pending]) -> list[_Pending]:
        """Each item in its own transaction, `side_by_side` at once, the next one started as
        soon as one ends. Once one has failed for a transient reason no other starts (the
        rewind redelivers them); those running run to their end (none is cancelled halfway)
        before the failure is raised."""
        slots = asyncio.Semaphore(self.side_by_side)
        transient: list[BaseException] = []

        async def apply_in_a_slot(item: _Pending) -> list[_Pending]:
            async with slots:
                if transient:
                    return []
                try:
                    return await self._apply([item])
                except BaseException as exc:
                    transient.append(exc)
                    raise

        outcomes = await asyncio.gather(
            *(apply_in_a_slot(item) for item in batch), return_exceptions=True
        )
        failed: list[_Pending] = []
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
            failed += outcome
        return failed

    async def _apply(self, batch: list[_Pending]) -> list[_Pending]:
        """One transaction for the batch; return the items whose handler failed."""
        if not batch:
            return []
        failed: list[_Pending] = []
        applied: list[CloudEvent] = []
        ok: list[tuple[str, str]] = []  # (topic, event name) of each applied event, for metrics
        duplicates: list[tuple[str, str]] = []
        async with self.pool.acquire() as conn, conn.transaction():
            await self._lock(conn, [item.event for item in batch])
            for item in batch:
                try:
                    with bound_contextvars(
                        correlation_id=item.event.correlationid, event_id=str(item.event.id)
                    ):
                        async with conn.transaction():  # savepoint: undoes this event only
                            if await self._record(conn, item):
                                await self.handlers[item.event.name](item.event, conn)
                                applied.append(item.event)
                                ok.append((item.record.topic, item.event.name))
                            else:
                                duplicates.append((item.record.topic, item.event.name))
                except Exception as exc:
                    if is_transient(exc):
                        raise
                    item.error = f"{type(exc).__name__}: {exc}"
                    log.warning(
                        "inbox.handler_failed",
                        group=self.group,
                        event_id=str(item.event.id),
                        event_type=item.event.type,
                        error=item.error,
                    )
                    failed.append(item)
        await self._committed(applied, ok, duplicates)
        return failed

    async def _applied_together(self, batch: list[_Pending]) -> bool:
        """Apply `batch` with the batch handlers in one transaction; False (nothing applied)
        when an event has none, or when a handler failed for a reason of its own."""
        if len(batch) < 2 or any(item.event.name not in self.batch_handlers for item in batch):
            return False
        try:
            async with self.pool.acquire() as conn, conn.transaction():
                fresh = await self._record_many(conn, batch)
                await self._lock(conn, [item.event for item in fresh])
                for name, run in itertools.groupby(fresh, key=lambda item: item.event.name):
                    await self.batch_handlers[name]([item.event for item in run], conn)
        except Exception as exc:
            if is_transient(exc):
                raise
            log.warning("inbox.batch_failed", group=self.group, events=len(batch), error=repr(exc))
            return False
        taken = {id(item) for item in fresh}
        duplicates = [item for item in batch if id(item) not in taken]
        await self._committed([item.event for item in fresh], _names(fresh), _names(duplicates))
        return True

    async def _lock(self, conn: asyncpg.Connection, events: list[CloudEvent]) -> None:
        if self.locks is not None and events:
            await self.locks(events, conn)

    async def _committed(
        self,
        applied: list[CloudEvent],
        ok: list[tuple[str, str]],
        duplicates: list[tuple[str, str]],
    ) -> None:
        """Count what a committed transaction applied, and tell `after_commit`."""
        self.applied += len(applied)
        self.duplicates += len(duplicates)
        count_consumed(self.group, "ok", ok)
        count_consumed(self.group, "duplicate", duplicates)
        if self.after_commit is not None and applied:
            await self.after_commit(applied)

    async def _record(self, conn: asyncpg.Connection, item: _Pending) -> bool:
        r = item.record
        inserted = await conn.fetchval(
            _RECORD, self.group, item.event.id, item.event.type, r.topic, r.partition, r.offset
        )
        return bool(inserted)

    async def _record_many(self, conn: asyncpg.Connection, batch: list[_Pending]) -> list[_Pending]:
        """Record the batch's events in the inbox with one statement; the items new to it (an
        event twice in the batch counts once, its first time)."""
        columns = zip(*(_inbox_values(item) for item in batch), strict=True)
        rows = await conn.fetch(_RECORD_MANY, self.group, *(list(c) for c in columns))
        new = {row["event_id"] for row in rows}
        fresh = []
        for item in batch:
            if item.event.id in new:
                new.discard(item.event.id)  # a second copy in the batch is a duplicate
                fresh.append(item)
        return fresh


def _inbox_values(item: _Pending) -> tuple[object, ...]:
    r = item.record
    return item.event.id, item.event.type, r.topic, r.partition, r.offset


def _names(items: Sequence[_Pending]) -> list[tuple[str, str]]:
    """(topic, event name) of each item, for the metrics."""
    return [(item.record.topic, item.event.name) for item in items]
