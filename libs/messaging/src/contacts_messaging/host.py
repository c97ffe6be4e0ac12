"""Runs one service's messaging: pool, migrations, outbox relay and inbox subscribers.

Start-up never waits for Kafka: the HTTP API comes up as soon as Postgres is migrated, the
outbox accepts events at once, and a background task creates the topics, starts the
producer and the subscribers, and then relays, retrying with back-off while Kafka is down
(with `OUTBOX_RELAY_PROCESS`, the relay runs in a process of its own: relay_process.py).
`/ready` says whether both Postgres and Kafka answer right now, and whether the service's
work is still running: the relay, every background loop and every consumer group (a task that
ended with an error is named there, so an orchestrator can restart the process).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import asyncpg
import structlog
from aiokafka import AIOKafkaProducer
from contacts_events.registry import EventRegistry, registry
from contacts_events.topics import dead_letter_topic, namespaced
from contacts_servicekit.db import create_pool
from contacts_servicekit.metrics_exposition import multiprocess_mode
from contacts_servicekit.migrations import Migration
from contacts_servicekit.principal import Principal
from contacts_servicekit.readiness import DEGRADED
from contacts_servicekit.schema_setup import prepare_schema
from contacts_servicekit.settings import ServiceSettings
from faststream.kafka import KafkaBroker

from contacts_messaging.accounts.closed_set import ClosedAccounts
from contacts_messaging.accounts.guard import refuse_closed
from contacts_messaging.backoff import Backoff
from contacts_messaging.dead_letters import DeadLetters
from contacts_messaging.faststream_log import FASTSTREAM_LOGGER
from contacts_messaging.inbox import BatchHandler, BatchLocks, Handler, InboxConsumer
from contacts_messaging.kafka import ensure_topics, make_producer
from contacts_messaging.kafka_connection import broker_options
from contacts_messaging.metrics_refresh import MessagingGauges
from contacts_messaging.outbox import Outbox
from contacts_messaging.relay import OutboxRelay
from contacts_messaging.relay_process import RelayProcess
from contacts_messaging.retention import Purge, RetentionPurge, messaging_expiries
from contacts_messaging.schema import with_messaging
from contacts_messaging.subscription import subscribe
from contacts_messaging.topic_plan import NotEnoughBrokers, plan_topics

log = structlog.get_logger(__name__)

EXIT_CONFIGURATION = 78  # sysexits.h EX_CONFIG
METRICS_REFRESH_SECONDS = 10.0  # multiprocess mode only; otherwise gauges refresh on scrape


@dataclass(frozen=True)
class Subscription:
    """A consumer group of this service: the topics it reads and a handler per event name."""

    group: str
    topics: tuple[str, ...]
    handlers: Mapping[str, Handler]
    events: EventRegistry = registry  # the event types this group can read
    max_records: int = 500  # per batch (and so per transaction)
    batch_handlers: Mapping[str, BatchHandler] = field(default_factory=dict)  # see inbox.py
    side_by_side: int = 0  # > 0: a batch's events applied this many at once (see inbox.py)
    locks: BatchLocks | None = None  # a batch's locks, taken first (see inbox.py)

    def namespaced(self, namespace: str) -> Subscription:
        return replace(
            self,
            group=namespaced(self.group, namespace),
            topics=tuple(namespaced(topic, namespace) for topic in self.topics),
        )


class ServiceHost:
    def __init__(
        self,
        settings: ServiceSettings,
        migrations: Sequence[Migration],
        *,
        produces: Sequence[str],
        subscriptions: Sequence[Subscription] = (),
        startup_timeout: float = 60.0,
    ) -> None:
        self.settings = settings
        self.migrations = with_messaging(migrations)
        ns = settings.kafka_namespace
        self.produces = tuple(namespaced(topic, ns) for topic in produces)
        self.subscriptions: list[Subscription] = []
        for subscription in subscriptions:
            self.add_subscription(subscription)
        self.startup_timeout = startup_timeout
        self.outbox = Outbox(f"/services/{settings.service_name}", settings.kafka_namespace)
        self.consumers: list[InboxConsumer] = []
        self.kafka_started = False
        self._pool: asyncpg.Pool | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._background: list[tuple[str, Callable[[ServiceHost], Coroutine[Any, Any, None]]]] = []
        self._producer: AIOKafkaProducer | None = None
        self._broker: KafkaBroker | None = None
        self._subscribers: list[tuple[str, Any]] = []  # (group, FastStream subscriber)
        self._gauges: MessagingGauges | None = None
        self._closed_accounts: ClosedAccounts | None = None
        self._closing: list[Callable[[], Coroutine[Any, Any, None]]] = []
        self._purges: list[Purge] = []
        self.on_fatal: Callable[[Exception], None] = exit_for_configuration

    def add_background(
        self, name: str, work: Callable[[ServiceHost], Coroutine[Any, Any, None]]
    ) -> None:
        """Run `work(host)` as a task once the database is ready (a worker loop, say);
        cancelled when the service stops."""
        self._background.append((name, work))

    def add_purge(self, purge: Purge) -> None:
        """Run `purge` too in the retention loop (every `RETENTION_PURGE_MINUTES`, after the
        inbox and idempotency keys): for a service's own tables that would grow forever."""
        self._purges.append(purge)

    def add_closing(self, close: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Await `close()` when the service stops (after its work, before the pool closes):
        to release what the app holds, such as a provider's connections."""
        self._closing.append(close)

    def add_subscription(self, subscription: Subscription) -> None:
        """Consume with `subscription` too (before start; handlers may use `self.outbox`)."""
        self.subscriptions.append(subscription.namespaced(self.settings.kafka_namespace))

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("ServiceHost.start() has not run")
        return self._pool

    @property
    def closed_accounts(self) -> ClosedAccounts:
        """The accounts this service knows are closed (in memory, kept current)."""
        if self._closed_accounts is None:
            raise RuntimeError("ServiceHost.start() has not run")
        return self._closed_accounts

    def refuse_closed(self, principal: Principal) -> None:
        """Raise AccountClosed (401) when the principal's account is known to be closed: the
        web edge asks this of every authenticated request."""
        refuse_closed(self.closed_accounts, principal)

    async def start(self) -> None:
        s = self.settings
        self._pool = await self._retry_until_up(
            "postgres",
            lambda: create_pool(s.database_url, s.db_schema, min_size=s.db_pool_min,
                                max_size=s.db_pool_max, application_name=s.service_name),
        )  # fmt: skip
        async with self.pool.acquire() as conn:
            await prepare_schema(conn, s, self.migrations)  # or check (DB_MIGRATE_ON_START)
        self._closed_accounts = closed = ClosedAccounts(self.pool, s.database_url, s.db_schema)
        await closed.start()  # before the first request: a closed account is refused at once
        # aiokafka clients must be created inside the running event loop
        self._producer = producer = make_producer(s, s.service_name)
        self._broker = broker = KafkaBroker(
            **broker_options(s), enable_idempotence=True, logger=FASTSTREAM_LOGGER,
            log_level=logging.DEBUG,  # its "Received"/"Processed" per batch; errors stay ERROR
        )  # fmt: skip
        for sub in self.subscriptions:
            consumer = InboxConsumer(
                self.pool,
                sub.group,
                sub.handlers,
                DeadLetters(producer, sub.group),
                events=sub.events,
                batch_handlers=sub.batch_handlers,
                side_by_side=sub.side_by_side,
                locks=sub.locks,
            )
            subscriber = subscribe(broker, consumer, sub.topics, max_records=sub.max_records)
            self._subscribers.append((sub.group, subscriber))
            self.consumers.append(consumer)
        self._gauges = MessagingGauges(self.pool, s.db_schema, self._kafka_consumers)
        if multiprocess_mode():  # keep this worker's gauges fresh whichever worker is scraped
            self.add_background("metrics", _refresh_every(METRICS_REFRESH_SECONDS))
        self._tasks.append(asyncio.create_task(self._run_kafka(), name="outbox-relay"))
        self._tasks.append(asyncio.create_task(closed.keep_current(), name="closed-accounts"))
        purges = [*messaging_expiries(s), *self._purges]
        purge = RetentionPurge(self.pool, purges, s.retention_purge_minutes * 60)
        self._tasks.append(asyncio.create_task(purge.run(), name="retention-purge"))
        for name, work in self._background:
            self._tasks.append(asyncio.create_task(work(self), name=name))
        for task in self._tasks:
            task.add_done_callback(_log_if_failed)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._broker is not None:
            with contextlib.suppress(Exception):
                await self._broker.stop()
        if self._producer is not None:
            with contextlib.suppress(Exception):
                await self._producer.stop()
        for close in self._closing:
            try:
                await close()
            except Exception as exc:
                log.warning("service.close_failed", error=repr(exc))
        if self._pool is not None:
            await self._pool.close()

    async def refresh_metrics(self) -> None:
        """Bring the outbox and consumer-lag gauges up to date (before a scrape)."""
        if self._gauges is not None:
            await self._gauges.refresh()

    def _kafka_consumers(self) -> list[tuple[str, Any]]:
        return [(group, subscriber.consumer) for group, subscriber in self._subscribers]

    async def readiness(self) -> dict[str, str]:
        checks = {}
        try:
            await asyncio.wait_for(self.pool.fetchval("SELECT 1"), 2)
            checks["postgres"] = "ok"
        except Exception as exc:
            checks["postgres"] = f"unavailable: {type(exc).__name__}"
        checks["kafka"] = await self._kafka_check()
        stopped = self._stopped_work()
        checks["work"] = "ok" if not stopped else "stopped: " + "; ".join(stopped)
        return checks

    async def _kafka_check(self) -> str:
        """`ok`; `unavailable` until the first connection (the consumers are not running yet);
        after it, `degraded`: the API still takes work into the outbox, which the relay sends
        once Kafka answers, so an orchestrator must not take the instance out of service."""
        if not self.kafka_started or self._producer is None:
            return "unavailable: not connected yet"
        try:
            await asyncio.wait_for(self._producer.client.fetch_all_metadata(), 2)
        except Exception as exc:
            return f"{DEGRADED}: {type(exc).__name__} (writes wait in the outbox)"
        return "ok"

    def _stopped_work(self) -> list[str]:
        """The relay and background loops that ended, and the consumer groups with no consume
        task left running (FastStream restarts a failed one; one it could not is named here)."""
        stopped = [_ended(task) for task in self._tasks if task.done()]
        if self.kafka_started:
            stopped += [
                f"consumer {group}"
                for group, subscriber in self._subscribers
                if all(task.done() for task in subscriber.tasks)
            ]
        return stopped

    def _topics(self) -> set[str]:
        consumed = {t for sub in self.subscriptions for t in sub.topics}
        dead = {dead_letter_topic(sub.group) for sub in self.subscriptions}
        return set(self.produces) | consumed | dead

    async def _run_kafka(self) -> None:
        s = self.settings
        assert self._producer is not None
        assert self._broker is not None
        backoff = Backoff(initial=0.5, maximum=10.0)
        producer_started = False
        while not self.kafka_started:
            try:
                plan = plan_topics(s, self._topics(), s.kafka_namespace)
                await ensure_topics(s, plan)
                if not producer_started:
                    await self._producer.start()
                    producer_started = True
                await self._broker.start()
                self.kafka_started = True
            except NotEnoughBrokers as exc:
                self.on_fatal(exc)  # a setting to change: retrying cannot help
                raise
            except Exception as exc:
                delay = backoff.next_delay()
                log.warning("kafka.unavailable", error=repr(exc), retry_in=round(delay, 2))
                await asyncio.sleep(delay)
        log.info("kafka.connected", topics=sorted(self._topics()))
        if s.outbox_relay_process:
            await RelayProcess(s).run()
        else:
            await OutboxRelay(
                self.pool, s.database_url, self._producer, s.db_schema,
                linger_seconds=s.outbox_relay_linger_ms / 1000,
            ).run()  # fmt: skip

    async def _retry_until_up(self, what: str, connect):  # type: ignore[no-untyped-def]
        backoff = Backoff(initial=0.5, maximum=5.0)
        deadline = asyncio.get_running_loop().time() + self.startup_timeout
        while True:
            try:
                return await connect()
            except Exception as exc:
                if asyncio.get_running_loop().time() > deadline:
                    raise
                delay = backoff.next_delay()
                log.warning(f"{what}.unavailable", error=repr(exc), retry_in=round(delay, 2))
                await asyncio.sleep(delay)


def exit_for_configuration(error: Exception) -> None:
    """End the process at once (exit status 78, EX_CONFIG): a setting stops the service from
    ever working, so it should fail where an operator looks (its exit, its last log line)
    rather than report unready for good. Nothing is lost: the outbox keeps what it took."""
    log.error("service.misconfigured", error=str(error))
    logging.shutdown()
    os._exit(EXIT_CONFIGURATION)


def _ended(task: asyncio.Task[None]) -> str:
    """The task's name (`outbox-relay`), and its error if it failed: `delivery (OSError(...))`."""
    error = None if task.cancelled() else task.exception()
    return task.get_name() if error is None else f"{task.get_name()} ({error!r})"


def _log_if_failed(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("work.stopped", task=task.get_name(), error=repr(task.exception()))


def _refresh_every(seconds: float) -> Callable[[ServiceHost], Coroutine[Any, Any, None]]:
    async def refresh(host: ServiceHost) -> None:
        while True:
            try:
                await host.refresh_metrics()
            except Exception as exc:
                log.warning("metrics.refresh_failed", error=repr(exc))
            await asyncio.sleep(seconds)

    return refresh
