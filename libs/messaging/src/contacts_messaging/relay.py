"""The outbox relay: publishes committed outbox rows to Kafka and marks them sent.

One relay per service instance, and one of a schema's relays leads at a time: the one whose
connection of its own holds the schema's relay lock (a session-level advisory lock). The others
try to take it every second on theirs (one statement each, never a wait inside a statement,
which would hold back vacuum), and one of them leads within a second of the leader's
connection closing, its process stopped or dead. So events of one key never overtake each
other across instances, and the relays that do not lead cost next to nothing. The leader
claims and reads rows in order in one statement committed on its own, which also marks the
previous batch sent (when no claim follows within `mark_within`, one more statement marks it;
the marks do not wait for their WAL flush). Nothing is marked sent before Kafka has
acknowledged it, and a leader that dies before the mark (or whose mark a crash of Postgres
lost) leaves its rows to be published again: consumers deduplicate by event id. It sleeps
until `LISTEN/NOTIFY` on that connection says a transaction wrote events (with a slow safety
poll), sends a whole batch before awaiting the acknowledgements (as record batches per
partition, built in aiokafka's C record builder; a bulk row's batches, built by its producer,
are sent as they are, see bulk.py; a claim stops at `max_bytes` of records), and retries with
back-off while Kafka or Postgres is unavailable. A relay of an older release (a
transaction-level lock on the same key, taken per claim) and a leader exclude each other too,
so a rolling upgrade keeps the order.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import asyncpg
import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import DefaultPartitioner
from contacts_events.kafka_binding import Headers
from contacts_servicekit.identifiers import sql_identifier

from contacts_messaging import bulk
from contacts_messaging.backoff import Backoff
from contacts_messaging.metrics import count_produced, type_label
from contacts_messaging.record_batch import PrebuiltBatch
from contacts_messaging.retention import Expiry, purge_expired

log = structlog.get_logger(__name__)

# One round trip: the rows the previous batch sent marked sent ($3; deleted instead if an account
# closure flagged them `forget_when_sent`, erasure.py), and up to $1 pending rows
# in order, those read whose bytes before them stay under $2 (at least the first: a claim stops
# after the row that reaches the budget); `claimed` says how many were pending in the claim,
# read or not. The statement's snapshot still shows the rows it marks as pending: they are left
# out by position. Only the leader claims.
_CLAIM = """
WITH marked AS (
    UPDATE outbox SET sent_at = now() WHERE position = ANY($3::bigint[]) AND NOT forget_when_sent
), forgotten AS (
    DELETE FROM outbox WHERE position = ANY($3::bigint[]) AND forget_when_sent
), pending AS (
    SELECT position, coalesce(expanded_bytes, octet_length(value)) AS size FROM outbox
    WHERE sent_at IS NULL AND position <> ALL($3::bigint[]) ORDER BY position LIMIT $1
), within AS (
    SELECT position, sum(size) OVER (ORDER BY position) - size AS before,
           count(*) OVER () AS claimed
    FROM pending
)
SELECT o.position, o.topic, o.key, o.value, o.headers, o.bulk, w.claimed
FROM within w JOIN outbox o USING (position)
WHERE w.before < $2 ORDER BY o.position
"""
Produced = list[tuple[str, str, int]]
"""The events of a batch Kafka acknowledged: (topic, event type, how many) per outbox row."""

_MARK = """
WITH forgotten AS (
    DELETE FROM outbox WHERE position = ANY($1::bigint[]) AND forget_when_sent
)
UPDATE outbox SET sent_at = now() WHERE position = ANY($1::bigint[]) AND NOT forget_when_sent
"""
# Tried again every `lead_poll_seconds`, never waited for in a statement: a statement waiting
# for a lock keeps its snapshot, which would hold back the vacuum of every table (and leave the
# outbox's index full of dead entries that every claim walks) for as long as the leader leads.
_LEAD = "SELECT pg_try_advisory_lock(hashtext($1))"


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
        mark_within: float = 0.1,
        lead_poll_seconds: float = 1.0,
        linger_seconds: float = 0.0,
        retention_seconds: float = 24 * 3600,
        report: Callable[[Produced], object] = count_produced,
    ) -> None:
        self.pool = pool
        self.dsn = dsn
        self.producer = producer
        self.schema = schema
        self.channel = f"{schema}.outbox"
        self.batch_size = batch_size
        self.max_bytes = max_bytes  # a claim stops after the row that reaches it
        self._partitioner = DefaultPartitioner()  # make_producer's: murmur2 of the key
        self.safety_poll_seconds = safety_poll_seconds
        self.mark_within = mark_within  # a batch waits this long for the next claim to mark it
        self.lead_poll_seconds = lead_poll_seconds  # a waiting relay tries to lead this often
        # a woken relay claims no sooner than this after its previous claim: a steady flow of
        # events goes in fewer, larger batches (fewer claims and produce requests), while an
        # event written after a quiet spell is claimed at once
        self.linger_seconds = linger_seconds
        self._last_claim = 0.0
        self.state = "stopped"  # "waiting" to lead, "leading"
        self.retention_seconds = retention_seconds
        self.report = report  # the events of each batch marked sent (events_produced_total)
        self._wake = asyncio.Event()
        self.published = 0  # events acknowledged by Kafka and marked sent since start
        self._next_purge = 0.0
        self._backlog = False  # the last claim left pending rows behind
        self._unmarked: list[int] = []  # positions sent and acknowledged, not yet marked sent
        self._unmarked_produced: Produced = []  # their events, for the counts

    async def run(self) -> None:
        """Publish until cancelled: wait to lead, then publish whenever events are written."""
        backoff = Backoff()
        while True:
            try:
                async with self.leading() as conn:
                    while True:
                        self._wake.clear()
                        await self.publish_batch(conn)
                        backoff.reset()
                        await self._purge_now_and_then()
                        if not self._backlog:
                            await self._wait_for_work(conn)
                            await self._linger()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                delay = backoff.next_delay()
                log.warning("outbox.relay_retry", error=repr(exc), retry_in=round(delay, 2))
                await asyncio.sleep(delay)

    @contextlib.asynccontextmanager
    async def leading(self) -> AsyncIterator[asyncpg.Connection]:
        """A connection of its own, once it holds the schema's relay lock (tried every
        `lead_poll_seconds` while another relay holds it), listening for the outbox's
        notifications; closed at the end, which lets the next relay lead."""
        conn = await asyncpg.connect(
            self.dsn,
            server_settings={
                "application_name": f"{self.channel}-relay",
                "search_path": sql_identifier(self.schema),
                # A mark lost in a crash of Postgres only means its rows are published again
                # (consumers deduplicate): the relay does not wait for its marks' WAL flush.
                "synchronous_commit": "off",
            },
        )
        try:
            self.state = "waiting"
            while not await conn.fetchval(_LEAD, self.channel):  # noqa: ASYNC110 - a poll of Postgres
                await asyncio.sleep(self.lead_poll_seconds)
            await conn.add_listener(self.channel, self._notified)
            self.state = "leading"
            log.info("outbox.relay_leading", channel=self.channel)
            yield conn
        finally:
            with contextlib.suppress(Exception):  # if the connection is gone, so is the lead:
                await asyncio.wait_for(self.mark_sent(conn), 5)  # the next leader resends them
            self._unmarked, self._unmarked_produced = [], []
            self.state = "stopped"
            await conn.close()

    def _notified(self, *_: Any) -> None:
        self._wake.set()

    async def publish_batch(self, conn: asyncpg.Connection) -> int:
        """Publish one batch of pending rows on the leading connection (`leading`); return how
        many events Kafka acknowledged. The rows sent are marked sent by the next batch's claim
        (or `mark_sent`): under load, one statement a batch."""
        self._backlog = False
        self._last_claim = time.monotonic()
        rows = await conn.fetch(_CLAIM, self.batch_size, self.max_bytes, self._unmarked)
        self._marked()
        if not rows:
            return 0
        claimed = rows[0]["claimed"]
        self._backlog = claimed == self.batch_size or len(rows) < claimed
        sent, failed, error, produced = await self._send(rows)
        self._unmarked, self._unmarked_produced = sent, produced
        if failed:
            await self.mark_sent(conn)
            await conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = $2"
                " WHERE position = ANY($1::bigint[])",
                failed,
                error,
            )
        if failed:
            raise RuntimeError(f"{len(failed)} outbox rows not acknowledged by Kafka: {error}")
        return sum(n for _, _, n in produced)

    async def mark_sent(self, conn: asyncpg.Connection) -> None:
        """Mark the rows of the last batch sent now, not at the next claim."""
        if self._unmarked:
            await conn.execute(_MARK, self._unmarked)
            self._marked()

    def _marked(self) -> None:
        """The last batch's rows are marked sent: its events count as published from now on
        (`published`, events_produced_total), as the outbox's backlog stops counting them."""
        produced, self._unmarked, self._unmarked_produced = self._unmarked_produced, [], []
        self.published += sum(n for _, _, n in produced)
        if produced:
            self.report(produced)

    async def purge_sent(self) -> int:
        """Delete rows sent longer ago than the retention; return how many."""
        return await purge_expired(self.pool, Expiry("outbox", "sent_at", self.retention_seconds))

    async def _send(self, rows: list[Any]) -> tuple[list[int], list[int], str | None, Produced]:
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
            prebuilt = bulk.stored_batches(row["value"]) if row["bulk"] else None
            if prebuilt is not None:  # a bulk row's batches, sent as they are
                kinds[position] = _template_event_type(_json(row["headers"]))
                for batch in map(PrebuiltBatch, prebuilt):
                    queue.append((batch, {position}))
                    counts[position] = counts.get(position, 0) + batch.record_count()
                continue
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

    async def _wait_for_work(self, conn: asyncpg.Connection) -> None:
        """Until events are written (or the safety poll). The last batch is marked sent by the
        next claim if that comes within `mark_within` seconds, by a statement of its own
        otherwise: a steady flow of events costs one statement a batch."""
        if self._unmarked and not await self._woken_within(self.mark_within):
            await self.mark_sent(conn)
        await self._woken_within(self.safety_poll_seconds)

    async def _linger(self) -> None:
        """Until `linger_seconds` after the previous claim (at once if that is past)."""
        wait = self._last_claim + self.linger_seconds - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)

    async def _woken_within(self, seconds: float) -> bool:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
        return self._wake.is_set()


def _event_type(headers: Headers) -> str:
    ce_type = next((value for name, value in headers if name == "ce_type"), None)
    return type_label(ce_type.decode() if ce_type is not None else None)


def _template_event_type(template: list[list[str | None]]) -> str:
    return _event_type([(name, text.encode()) for name, text in template if name and text])


def _records(row: Any) -> Any:
    """(value, headers) of each record an outbox row carries: one, or the many of a bulk row
    of an earlier release (bulk.py)."""
    if row["bulk"]:
        return bulk.expand(_json(row["headers"]), row["value"])
    headers: Headers = [(name, value.encode()) for name, value in _json(row["headers"])]
    return ((row["value"], headers),)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value
