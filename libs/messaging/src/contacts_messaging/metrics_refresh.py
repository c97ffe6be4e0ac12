"""Bringing the messaging gauges up to date: outbox backlog and age, consumer lag.

Run just before each scrape of `/metrics` (and every few seconds in multiprocess mode, so
that every worker's values stay fresh whichever worker is scraped).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import asyncpg
from contacts_servicekit.metrics_exposition import multiprocess_mode

from contacts_messaging.consumer_lag import partition_lags
from contacts_messaging.metrics import CONSUMER_LAG, OUTBOX_BACKLOG, OUTBOX_OLDEST_AGE
from contacts_messaging.outbox_stats import outbox_stats


class MessagingGauges:
    """The gauges of one service: its outbox (schema) and its consumer groups."""

    def __init__(
        self, pool: asyncpg.Pool, schema: str, consumers: Callable[[], Sequence[tuple[str, Any]]]
    ) -> None:
        self.pool = pool
        self.schema = schema
        self.consumers = consumers  # (group, AIOKafkaConsumer or None) of each subscription
        self._reported: set[tuple[str, str, str]] = set()

    async def refresh(self) -> None:
        stats = await outbox_stats(self.pool, query_seconds=1.0)
        OUTBOX_BACKLOG.labels(self.schema).set(stats.backlog)
        OUTBOX_OLDEST_AGE.labels(self.schema).set(stats.oldest_age_seconds)
        reported = set()
        for lag in await partition_lags(self.consumers()):
            labels = (lag.group, lag.topic, str(lag.partition))
            CONSUMER_LAG.labels(*labels).set(lag.lag)
            reported.add(labels)
        if not multiprocess_mode():  # (series cannot be removed in multiprocess mode)
            for labels in self._reported - reported:  # partitions this process no longer owns
                CONSUMER_LAG.remove(*labels)
        self._reported = reported
