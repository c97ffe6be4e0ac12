"""An audit consumer: every partition of every platform topic, decoding each record as a
CloudEvent, so that tests can wait for the events a flow must produce and count what is on Kafka.

    async with AuditConsumer(bootstrap) as audit:
        ...  # drive the platform over HTTP
        [added] = await audit.wait_for("ContactAdded", key=owner_id, correlation_id=cid)

Every record is decoded with `contacts_events.kafka_binding.from_record`; a record that is not
a readable event is kept in `undecodable` (a test can assert there are none). `keep` chooses
the events kept whole; every event is counted in `seen` by id whatever `keep` says, and
`summarise` may note a small fact of any event (kept in `summaries` unless None), so a test of
a large import can check hundreds of thousands of events without holding their payloads.
With `from_now`, only the events published after `start()` returned are read.

It belongs to no consumer group: it assigns itself each partition and keeps its own position.
A group member can lose its membership (a heartbeat late under load, the coordinator's broker
restarted) and one with no committed offsets rejoins at the partitions' ends, silently skipping
what was published meanwhile; a consumer of no group has no membership to lose.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from contacts_events import topics
from contacts_events.envelope import CloudEvent
from contacts_events.kafka_binding import EventDecodeError, from_record
from contacts_messaging.kafka import partitions_of
from contacts_messaging.kafka_connection import Kafka, client_options

from contacts_testing.topic_checks import kafka_admin


@dataclass(frozen=True, slots=True)
class Undecodable:
    topic: str
    partition: int
    offset: int
    error: str


@dataclass
class AuditConsumer:
    """Reads every platform topic (under `namespace`) from the beginning, or from `start()`."""

    kafka: Kafka
    namespace: str = ""
    topic_names: Iterable[str] = topics.ALL
    keep: Callable[[CloudEvent], bool] = lambda _event: True
    summarise: Callable[[CloudEvent], Any] | None = None
    from_now: bool = False
    name: str = field(default_factory=lambda: f"audit-{uuid.uuid4().hex[:8]}")
    events: list[CloudEvent] = field(default_factory=list)
    seen: Counter[uuid.UUID] = field(default_factory=Counter)
    summaries: list[Any] = field(default_factory=list)
    undecodable: list[Undecodable] = field(default_factory=list)
    read_errors: int = 0
    last_read_error: str | None = None
    _consumer: AIOKafkaConsumer | None = None
    _task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> AuditConsumer:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    async def start(self) -> None:
        names = [topics.namespaced(t, self.namespace) for t in self.topic_names]
        self._consumer = AIOKafkaConsumer(
            **client_options(self.kafka),
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            max_partition_fetch_bytes=4 * 1024 * 1024,
        )
        await self._consumer.start()
        partitions = await self._partitions_of(names)
        self._consumer.assign(partitions)
        if self.from_now:
            await self._consumer.seek_to_end(*partitions)
        else:
            await self._consumer.seek_to_beginning(*partitions)
        for partition in partitions:  # resolves the seeks to offsets now: nothing later is missed
            await self._consumer.position(partition)
        self._task = asyncio.create_task(self._read(), name=self.name)

    async def _partitions_of(self, names: list[str], seconds: float = 60) -> list[TopicPartition]:
        """Every partition of `names`, once the broker knows each topic (a platform starting
        creates them a moment after the test may have started this consumer)."""
        async with kafka_admin(self.kafka) as admin:
            deadline = time.monotonic() + seconds
            while True:
                known = await partitions_of(admin, names)
                if set(known) == set(names) and all(known.values()):
                    return [TopicPartition(t, p) for t, ps in known.items() for p in ps]
                if time.monotonic() > deadline:
                    missing = sorted(set(names) - {t for t, ps in known.items() if ps})
                    raise AssertionError(f"the audit consumer never found topics {missing}")
                await asyncio.sleep(0.2)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._consumer is not None:
            await self._consumer.stop()

    async def _read(self) -> None:
        """Read until `stop`. A broker down or restarting makes `getmany` raise (the client
        reconnects), and aiokafka may raise a CancelledError of its own (a fetch it cancelled):
        neither ends the reading, only `stop` cancelling this task does."""
        assert self._consumer is not None
        while True:
            try:
                batches = await self._consumer.getmany(timeout_ms=500, max_records=10_000)
            except asyncio.CancelledError as exc:
                if _being_cancelled():
                    raise
                await self._after(exc)
                continue
            except Exception as exc:
                await self._after(exc)
                continue
            for records in batches.values():
                for record in records:
                    self._take(record)
            await asyncio.sleep(0)

    async def _after(self, error: BaseException) -> None:
        """Note a failed read (a wait that times out says the last one) and pause a moment."""
        self.read_errors += 1
        self.last_read_error = f"{type(error).__name__}: {error}"
        await asyncio.sleep(1)

    def _take(self, record: Any) -> None:
        try:
            event = from_record(record.key, record.value, record.headers)
        except EventDecodeError as exc:
            self.undecodable.append(
                Undecodable(record.topic, record.partition, record.offset, str(exc))
            )
            return
        self.seen[event.id] += 1
        if self.summarise is not None and (fact := self.summarise(event)) is not None:
            self.summaries.append(fact)
        if self.keep(event):
            self.events.append(event)

    def matching(
        self,
        name: str | None = None,
        *,
        key: object | None = None,
        correlation_id: str | None = None,
        where: Callable[[CloudEvent], bool] | None = None,
    ) -> list[CloudEvent]:
        """The kept events of type `name` (`ContactAdded`), partition key, correlation id and
        predicate given, in the order they were read."""
        return [
            e
            for e in self.events
            if (name is None or e.name == name)
            and (key is None or e.partitionkey == str(key))
            and (correlation_id is None or e.correlationid == correlation_id)
            and (where is None or where(e))
        ]

    async def wait_for(
        self,
        name: str | None = None,
        *,
        key: object | None = None,
        correlation_id: str | None = None,
        where: Callable[[CloudEvent], bool] | None = None,
        count: int = 1,
        seconds: float = 60.0,
    ) -> list[CloudEvent]:
        """Wait until at least `count` matching events were read; return them all."""
        deadline = time.monotonic() + seconds
        while True:
            found = self.matching(name, key=key, correlation_id=correlation_id, where=where)
            if len(found) >= count:
                return found
            self._still_reading()
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{len(found)} of {count} {name or 'event'}(s) (key={key}, "
                    f"correlation={correlation_id}) on Kafka after {seconds} s"
                    f" ({self._reading_trouble()})"
                )
            await asyncio.sleep(0.1)

    async def wait_for_ids(self, ids: Iterable[uuid.UUID], seconds: float = 300.0) -> None:
        """Wait until every event id of `ids` was read (e.g. every outbox row's)."""
        wanted = set(ids)
        deadline = time.monotonic() + seconds
        while missing := wanted - self.seen.keys():
            self._still_reading()
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{len(missing)} of {len(wanted)} events never reached Kafka"
                    f" ({self._reading_trouble()})"
                )
            await asyncio.sleep(0.5)

    def _reading_trouble(self) -> str:
        if not self.read_errors:
            return "the audit consumer read without an error"
        return f"the audit consumer's reads failed {self.read_errors} times, last: {self.last_read_error}"

    def _still_reading(self) -> None:
        """Raise at once if the reading task ended: what it would have read is not coming, and
        a wait would end in a misleading "never reached Kafka" after its whole timeout."""
        if self._task is None or not self._task.done():
            return
        error = None if self._task.cancelled() else self._task.exception()
        raise AssertionError(f"the audit consumer stopped reading: {error!r}") from error


def _being_cancelled() -> bool:
    """Whether this task was asked to stop (rather than handed a CancelledError by a library)."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0
