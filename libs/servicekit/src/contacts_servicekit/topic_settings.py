"""How the platform's Kafka topics are made: replication, partitions, retention, clean-up.

Every service reads the same `KAFKA_TOPIC_*` variables, so whichever service starts first
creates a topic the way the others would. Topics come in five families (see
`contacts_events.topics.TopicFamily`): `EVENTS` (integration events such as
`contacts.contacts`), `PROFILES` (`directory.users`: compacted, the latest profile per user,
so that a closed account's number leaves it within `max.compaction.lag.ms`), `HISTORY`
(`directory.companies`, kept for good), `WORK` (internal work items such as `importer.work`)
and `DEAD_LETTER` (`<group>.dlt`). Each family has its own partition count, `retention.ms` and
`cleanup.policy`; replication and `min.insync.replicas` are the cluster's, one value for all.

The defaults are a production cluster's (replication 3, min ISR 2: a write survives the loss
of one broker and is refused rather than kept on one copy when two are gone). A single broker
needs `KAFKA_TOPIC_REPLICATION_FACTOR=1` and `KAFKA_TOPIC_MIN_INSYNC_REPLICAS=1`, which the
local scripts, docker-compose and the tests' fixtures set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from contacts_servicekit.environment_settings import EnvironmentSettings

CleanupPolicy = Literal["delete", "compact", "compact,delete"]

DAY_MS = 24 * 3600 * 1000
KEPT_FOR_GOOD = -1  # retention.ms of a topic whose records are never deleted
SHORTEST_RETENTION_MS = 60_000  # below a minute a lagging consumer loses records at once
DEFAULT_PARTITIONS = 24
"""Most instances of one consumer group that share the work; 24 splits evenly over 1, 2, 3, 4,
6, 8, 12 or 24 instances and gives each of 3 brokers 8 leaders per topic (packages' README)."""


@dataclass(frozen=True)
class FamilyTopics:
    """What a family's topics are created with."""

    partitions: int
    retention_ms: int
    cleanup_policy: CleanupPolicy
    max_compaction_lag_ms: int | None = None  # a compacted family's bound (KIP-354)


def _partitions(default: int, what: str) -> Any:  # a pydantic Field
    return Field(default=default, ge=1, le=10_000, description=what)


def _retention(default: int, what: str) -> Any:
    return Field(default=default, ge=KEPT_FOR_GOOD, description=what)


def _cleanup(what: str, default: CleanupPolicy = "delete") -> Any:
    return Field(default=default, description=what)


class TopicSettings(EnvironmentSettings):
    """The `KAFKA_TOPIC_*` settings; `family("events")` gives one family's."""

    kafka_topic_replication_factor: int = Field(
        default=3, ge=1, le=32, description="copies of every partition, one per broker"
    )
    kafka_topic_min_insync_replicas: int = Field(
        default=2,
        ge=1,
        description="copies that must have a write before it is acknowledged (acks=all)",
    )
    kafka_topic_events_partitions: int = _partitions(DEFAULT_PARTITIONS, "integration events")
    kafka_topic_events_retention_ms: int = _retention(7 * DAY_MS, "integration events")
    kafka_topic_events_cleanup_policy: CleanupPolicy = _cleanup("integration events")
    kafka_topic_profiles_partitions: int = _partitions(DEFAULT_PARTITIONS, "users' profiles")
    kafka_topic_profiles_retention_ms: int = _retention(KEPT_FOR_GOOD, "users' profiles")
    kafka_topic_profiles_cleanup_policy: CleanupPolicy = _cleanup("users' profiles", "compact")
    kafka_topic_profiles_max_compaction_lag_ms: int = Field(
        default=DAY_MS,
        ge=SHORTEST_RETENTION_MS,
        description="longest a superseded profile (a closed account's number) stays in the log",
    )
    kafka_topic_history_partitions: int = _partitions(DEFAULT_PARTITIONS, "companies")
    kafka_topic_history_retention_ms: int = _retention(KEPT_FOR_GOOD, "companies")
    kafka_topic_history_cleanup_policy: CleanupPolicy = _cleanup("companies")
    kafka_topic_work_partitions: int = _partitions(DEFAULT_PARTITIONS, "work items")
    kafka_topic_work_retention_ms: int = _retention(7 * DAY_MS, "work items")
    kafka_topic_work_cleanup_policy: CleanupPolicy = _cleanup("work items")
    kafka_topic_dead_letter_partitions: int = _partitions(1, "dead letters")
    kafka_topic_dead_letter_retention_ms: int = _retention(28 * DAY_MS, "dead letters")
    kafka_topic_dead_letter_cleanup_policy: CleanupPolicy = _cleanup("dead letters")

    @classmethod
    def defaults(cls) -> TopicSettings:
        """The production defaults, whatever the environment holds (for documents)."""
        return cls.model_construct()

    def family(self, family: str) -> FamilyTopics:
        """The settings of `family` (`events`, `profiles`, `history`, `work` or `dead_letter`)."""
        prefix = f"kafka_topic_{family}_"
        if f"{prefix}partitions" not in type(self).model_fields:
            raise ValueError(f"no topic family {family!r}")
        return FamilyTopics(
            partitions=getattr(self, f"{prefix}partitions"),
            retention_ms=getattr(self, f"{prefix}retention_ms"),
            cleanup_policy=getattr(self, f"{prefix}cleanup_policy"),
            max_compaction_lag_ms=getattr(self, f"{prefix}max_compaction_lag_ms", None),
        )

    @field_validator("kafka_topic_min_insync_replicas")
    @classmethod
    def _check_min_insync(cls, replicas: int, info: ValidationInfo) -> int:
        factor = info.data.get("kafka_topic_replication_factor")
        if isinstance(factor, int) and replicas > factor:
            raise ValueError(
                f"must be at most KAFKA_TOPIC_REPLICATION_FACTOR ({factor}): no write could "
                "ever be acknowledged"
            )
        return replicas

    @field_validator(
        "kafka_topic_events_retention_ms",
        "kafka_topic_profiles_retention_ms",
        "kafka_topic_history_retention_ms",
        "kafka_topic_work_retention_ms",
        "kafka_topic_dead_letter_retention_ms",
    )
    @classmethod
    def _check_retention(cls, retention_ms: int) -> int:
        if retention_ms != KEPT_FOR_GOOD and retention_ms < SHORTEST_RETENTION_MS:
            raise ValueError(
                f"must be -1 (kept for good) or at least {SHORTEST_RETENTION_MS} ms (a minute)"
            )
        return retention_ms
