"""The messaging metrics every service exposes on `/metrics` (see docs/operations.md).

Counters count in this process since it started; gauges are brought up to date just before
a scrape (`metrics_refresh.py`). In multiprocess mode each gauge shows the value written most
recently by any worker.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Iterable
from typing import Literal

from contacts_events.envelope import parse_event_type
from prometheus_client import Counter, Gauge

Outcome = Literal["ok", "duplicate", "ignored", "dead_lettered"]

EVENTS_CONSUMED = Counter(
    "events_consumed_total",
    "Records an inbox consumer finished with, by consumer group, topic, event type and outcome: "
    "ok (applied), duplicate (already applied: skipped by the inbox), ignored (a type this "
    "group does not handle), dead_lettered (copied to <group>.dlt after bounded retries).",
    ("group", "topic", "type", "outcome"),
)
EVENTS_PRODUCED = Counter(
    "events_produced_total",
    "Events the outbox relay published and Kafka acknowledged, by topic and event type (counted"
    " once their outbox rows are marked sent, as they leave `outbox_backlog_events`).",
    ("topic", "type"),
)
OUTBOX_BACKLOG = Gauge(
    "outbox_backlog_events",
    "Outbox rows not yet acknowledged by Kafka, by schema.",
    ("schema",),
    multiprocess_mode="mostrecent",
)
OUTBOX_OLDEST_AGE = Gauge(
    "outbox_oldest_unsent_age_seconds",
    "Age of the oldest outbox row not yet acknowledged by Kafka (0 when none), by schema.",
    ("schema",),
    multiprocess_mode="mostrecent",
)
CONSUMER_LAG = Gauge(
    "kafka_consumer_lag",
    "Records on a partition this process's consumer has not read yet: the partition's "
    "high watermark minus the consumer's position, by group, topic and partition.",
    ("group", "topic", "partition"),
    multiprocess_mode="mostrecent",
)

UNKNOWN_TYPE = "unknown"


def type_label(ce_type: str | None) -> str:
    """`io.connect.contacts.ContactAdded.v1` -> `ContactAdded`; anything else -> `unknown`."""
    try:
        return parse_event_type(ce_type or "")[0]
    except ValueError:
        return UNKNOWN_TYPE


def count_consumed(
    group: str, outcome: Outcome, topics_and_types: Iterable[tuple[str, str]]
) -> None:
    """Add one per (topic, type) pair, grouped so that a batch costs one increment a series."""
    for (topic, kind), n in Tally(topics_and_types).items():
        EVENTS_CONSUMED.labels(group, topic, kind, outcome).inc(n)


def count_produced(sent: Iterable[tuple[str, str, int]]) -> None:
    """Count events acknowledged by Kafka: (topic, event type, how many)."""
    totals: Tally[tuple[str, str]] = Tally()
    for topic, kind, n in sent:
        totals[topic, kind] += n
    for (topic, kind), n in totals.items():
        EVENTS_PRODUCED.labels(topic, kind).inc(n)


ROWS_PURGED = Counter(
    "messaging_rows_purged_total",
    "Rows the retention purge deleted because they outlived their retention, by table: inbox "
    "(applied events' ids), idempotency_keys (keyed requests' answers), outbox (sent events), "
    "and a service's own (the importer's import_rows, import_files...).",
    ("table",),
)
