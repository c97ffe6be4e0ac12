"""The outbox relay: publishes committed outbox rows to Kafka and marks them sent.

One relay per service instance. Rows are claimed in order with `FOR UPDATE SKIP LOCKED`
inside a transaction that also holds a per-schema advisory lock (lock, claim and read in one
statement), so when several instances run only one publishes at a time and events of one key
never overtake each other. A relay sleeps until `LISTEN/NOTIFY` says a transaction wrote
events (with a slow safety poll), sends a whole batch before awaiting the acknowledgements (as
record batches per partition, built in aiokafka's C record builder; bulk rows are expanded,
see bulk.py, and a claim stops at `max_bytes`), and retries with back-off while Kafka or
Postgres is unavailable: nothing is marked sent before Kafka has acknowledged it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any

import asyncpg
import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import DefaultPartitioner
from contacts_events.kafka_binding import Headers

from contacts_messaging import bulk
from contacts_messaging.backoff import Backoff
from contacts_messaging.metrics import count_produced, type_label
from contacts_messaging.retention import Expiry, purge_expired

log = structlog.get_logger(__name__)

# One round trip: the schema's relay lock (taken once, an InitPlan: when another instance
# holds it, nothing is scanned), up to $2 pending rows claimed in order, and those read whose
# bytes before them stay under $3 (at least the first: a claim stops after the row that
# reaches the budget); `claimed` says how many were claimed, read or not.
_CLAIM = """
WITH claimed AS (
    SELECT position, octet_length(value) AS size FROM outbox
    WHERE (SELECT pg_try_advisory_xact_lock(hashtext($1))) AND sent_at IS NULL
    ORDER BY position LIMIT $2 FOR UPDATE SKIP LOCKED
), within AS (
    SELECT position, sum(size) OVER (ORDER BY position) - size AS before,
           count(*) OVER () AS claimed
    FROM claimed
)
SELECT o.position, o.topic, o.key, o.value, o.headers, o.bulk, w.claimed
FROM within w JOIN outbox o USING (position)
WHERE w.before < $3 ORDER BY o.position
"""


class OutboxRelay:
    """Publishes one schema's outbox through a started producer until cancelled."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        dsn: str,
        producer: AIOKafkaProducer,
        schema: str,
        *,
        batch_size: int = 1000,
        max_bytes: int = 16 * 1024 * 1024,
        safety_poll_seconds: float = 5.0,
        retention_seconds: float = 24 * 3600,
    ) -> None:
        self.pool = pool
        self.dsn = dsn
        self.producer = producer
        self.channel = f"{schema}.outbox"
        self.batch_size = batch_size
        self.max_bytes = max_bytes  # a claim stops after the row that reaches it
        self._partitioner = DefaultPartitioner()  # make_producer's: murmur2 of the key
        self.safety_poll_seconds = safety_poll_seconds
        self.retention_seconds = retention_seconds
        self._wake = asyncio.Event()
        self.published = 0  # events acknowledged by Kafka since start
        self._next_purge = 0.0
        self._backlog = False  # the last claim left pending rows behind

    async def run(self) -> None:
        """Publish until cancelled."""
        backoff = Backoff()
        listener: asyncpg.Connection | None = None
        try:
            while True:
                try:
                    if listener is None or listener.is_closed():
                        listener = await self._listen()
                    self._wake.clear()
                    await self.publish_batch()
                    backoff.reset()
                    await self._purge_now_and_then()
                    if not self._backlog:
                        await self._wait_for_work()
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    delay = backoff.next_delay()
                    log.warning("outbox.relay_retry", error=repr(exc), retry_in=round(delay, 2))
                    await asyncio.sleep(delay)
        finally:
            if listener is not None and not listener.is_closed():
                await listener.close()

    async def publish_batch(self) -> int:
        """Publish one batch of pending rows; return how many events Kafka acknowledged."""
        self._backlog = False
        async with self.pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(_CLAIM, self.channel, self.batch_size, self.max_bytes)
            if not rows:
                return 0  # nothing pending, or another instance is relaying this schema
            claimed = rows[0]["claimed"]
            self._backlog = claimed == self.batch_size or len(rows) < claimed
            sent, failed, error, produced = await self._send(rows)
            if sent:
                await conn.execute(
                    "UPDATE outbox SET sent_at = now() WHERE position = ANY($1::bigint[])", sent
                )
            if failed:
                await conn.execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = $2"
                    " WHERE position = ANY($1::bigint[])",
                    failed,
                    error,
                )
        events = sum(n for _, _, n in produced)
        self.published += events
        count_produced(produced)
        if failed:
            raise RuntimeError(f"{len(failed)} outbox rows not acknowledged by Kafka: {error}")
        return events

    async def purge_sent(self) -> int:
        """Delete rows sent longer ago than the retention; return how many."""
        return await purge_expired(self.pool, Expiry("outbox", "sent_at", self.retention_seconds))

    async def _send(
        self, rows: list[Any]
    ) -> tuple[list[int], list[int], str | None, list[tuple[str, str, int]]]:
        """Send the rows' records; return (sent positions, failed ones, error, and the topic,
        event type and number of the events sent per row)."""
        counts: dict[int, int] = {}
        kinds: dict[int, str] = {}
        batches: dict[tuple[str, int], list[tuple[Any, set[int]]]] = {}
        partitions: dict[tuple[str, bytes], int] = {}
        for row in rows:
            topic, key, position = row["topic"], row["key"], row["position"]
            if (topic, key) not in partitions:
                partitions[topic, key] = await self._partition(topic, key)
            queue = batches.setdefault((topic, partitions[topic, key]), [])
            for value, headers in _records(row):
                if position not in kinds:  # a bulk row holds events of one type
                    kinds[position] = _event_type(headers)
                record = {"timestamp": None, "key": key, "value": value, "headers": headers}
                if not queue or queue[-1][0].append(**record) is None:  # None: the batch is full
                    queue.append((self.producer.create_batch(), set()))
                    queue[-1][0].append(**record)
                queue[-1][1].add(position)
                counts[position] = counts.get(position, 0) + 1
        outcomes = await asyncio.gather(*(self._send_in_order(w, q) for w, q in batches.items()))
        lost: set[int] = set().union(*(positions for positions, _ in outcomes))
        error = next((error for _, error in outcomes if error is not None), None)
        sent = [r["position"] for r in rows if r["position"] not in lost]
        failed = [r["position"] for r in rows if r["position"] in lost]
        produced = [(r["topic"], kinds[r["position"]], counts[r["position"]])
                    for r in rows if r["position"] not in lost and r["position"] in counts]  # fmt: skip
        return sent, failed, error, produced

    async def _send_in_order(
        self, where: tuple[str, int], queue: list[tuple[Any, set[int]]]
    ) -> tuple[set[int], str | None]:
        """Send one partition's batches one after another; at the first failure, stop and
        return (the positions of that batch and of every later one, the error). Were later
        batches sent anyway, one could land while the failed one is retried at the next claim,
        and a key's events would overtake each other. (aiokafka has one request in flight per
        broker and partition anyway, so waiting costs little.)"""
        topic, partition = where
        for index, (batch, _) in enumerate(queue):
            batch.close()  # complete: an open batch would wait the producer's linger_ms first
            try:
                await (await self.producer.send_batch(batch, topic, partition=partition))
            except Exception as exc:
                return set().union(*(positions for _, positions in queue[index:])), repr(exc)
        return set(), None

    async def _partition(self, topic: str, key: bytes) -> int:
        partitions = sorted(await self.producer.partitions_for(topic))
        return int(self._partitioner(key, partitions, partitions))

    async def _purge_now_and_then(self) -> None:
        if time.monotonic() >= self._next_purge:
            self._next_purge = time.monotonic() + 600
            purged = await self.purge_sent()
            if purged:
                log.info("outbox.purged", rows=purged)

    async def _listen(self) -> asyncpg.Connection:
        listener = await asyncpg.connect(
            self.dsn, server_settings={"application_name": f"{self.channel}-relay"}
        )
        await listener.add_listener(self.channel, lambda *_: self._wake.set())
        return listener

    async def _wait_for_work(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self.safety_poll_seconds)


def _event_type(headers: Headers) -> str:
    ce_type = next((value for name, value in headers if name == "ce_type"), None)
    return type_label(ce_type.decode() if ce_type is not None else None)


def _records(row: Any) -> Any:
    """(value, headers) of each record an outbox row carries: one, or a bulk row's many."""
    if row["bulk"]:
        return bulk.expand(_json(row["headers"]), row["value"])
    headers: Headers = [(name, value.encode()) for name, value in _json(row["headers"])]
    return ((row["value"], headers),)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value
