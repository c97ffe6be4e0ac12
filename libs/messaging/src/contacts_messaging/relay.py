"""The outbox relay: publishes committed outbox rows to Kafka and marks them sent.

One relay per service instance. Rows are claimed in order with `FOR UPDATE SKIP LOCKED`
inside a transaction that also holds a per-schema advisory lock, so when several instances
run only one publishes at a time and events of one key never overtake each other. A relay
sleeps until `LISTEN/NOTIFY` says a transaction wrote events (with a slow safety poll), sends
a whole batch before awaiting the acknowledgements, and retries with back-off while Kafka or
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

from contacts_messaging.backoff import Backoff
from contacts_messaging.metrics import count_produced, type_label

log = structlog.get_logger(__name__)

_CLAIM = """
SELECT position, topic, key, value, headers FROM outbox
WHERE sent_at IS NULL ORDER BY position LIMIT $1 FOR UPDATE SKIP LOCKED
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
        safety_poll_seconds: float = 5.0,
        retention_seconds: float = 24 * 3600,
    ) -> None:
        self.pool = pool
        self.dsn = dsn
        self.producer = producer
        self.channel = f"{schema}.outbox"
        self.batch_size = batch_size
        self.safety_poll_seconds = safety_poll_seconds
        self.retention_seconds = retention_seconds
        self._wake = asyncio.Event()
        self.published = 0  # events acknowledged by Kafka since start
        self._next_purge = 0.0

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
                    published = await self.publish_batch()
                    backoff.reset()
                    await self._purge_now_and_then()
                    if published < self.batch_size:
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
        """Publish one batch of pending rows; return how many Kafka acknowledged."""
        async with self.pool.acquire() as conn, conn.transaction():
            if not await conn.fetchval(
                "SELECT pg_try_advisory_xact_lock(hashtext($1))", self.channel
            ):
                return 0  # another instance is relaying this schema
            rows = await conn.fetch(_CLAIM, self.batch_size)
            if not rows:
                return 0
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
        self.published += len(sent)
        count_produced(produced)
        if failed:
            raise RuntimeError(f"{len(failed)} outbox events not acknowledged by Kafka: {error}")
        return len(sent)

    async def purge_sent(self) -> int:
        """Delete rows sent longer ago than the retention; return how many."""
        result = await self.pool.execute(
            "DELETE FROM outbox WHERE sent_at < now() - make_interval(secs => $1)",
            self.retention_seconds,
        )
        return int(result.split()[-1])

    async def _send(
        self, rows: list[Any]
    ) -> tuple[list[int], list[int], str | None, list[tuple[str, str]]]:
        """Send every row, await the acknowledgements; return the positions sent, those that
        failed, the last error and the (topic, event type) of each event sent."""
        futures = []
        kinds = []
        for row in rows:
            pairs = _json(row["headers"])
            kinds.append(
                type_label(next((value for name, value in pairs if name == "ce_type"), None))
            )
            headers = [(name, value.encode()) for name, value in pairs]
            futures.append(
                await self.producer.send(
                    row["topic"], row["value"], key=row["key"], headers=headers
                )
            )
        results = await asyncio.gather(*futures, return_exceptions=True)
        sent, failed, error, produced = [], [], None, []
        for row, kind, result in zip(rows, kinds, results, strict=True):
            if isinstance(result, BaseException):
                failed.append(row["position"])
                error = repr(result)
            else:
                sent.append(row["position"])
                produced.append((row["topic"], kind))
        return sent, failed, error, produced

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


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value
