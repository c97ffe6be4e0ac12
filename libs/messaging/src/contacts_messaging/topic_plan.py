"""The plan of a service's topics: how each is to be made, from the `KAFKA_TOPIC_*` settings.

`plan_topics` turns topic names into `TopicSpec`s (each topic's family gives its partitions,
retention and clean-up policy); `kafka.ensure_topics` makes the missing ones. The checks here
run before anything is created: a replication factor the cluster cannot hold is a
configuration error (`NotEnoughBrokers`), never a loop of retries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog
from contacts_events.topics import family_of
from contacts_servicekit.topic_settings import TopicSettings

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class TopicSpec:
    """One topic as it is to be created: `configs` are Kafka topic configs (`retention.ms`...)."""

    name: str
    partitions: int
    replication: int = 1
    configs: Mapping[str, str] = field(default_factory=dict)


class NotEnoughBrokers(RuntimeError):
    """The cluster has fewer brokers than the replication factor: no topic can be created."""


def plan_topics(
    settings: TopicSettings, topics: Iterable[str], namespace: str = ""
) -> list[TopicSpec]:
    """A spec per topic (names namespaced with `namespace`, or not namespaced), sorted by name."""
    return [topic_spec(settings, name, namespace) for name in sorted(set(topics))]


def topic_spec(settings: TopicSettings, name: str, namespace: str = "") -> TopicSpec:
    family = settings.family(family_of(name, namespace).value)
    configs = {
        "retention.ms": str(family.retention_ms),
        "cleanup.policy": family.cleanup_policy,
        "min.insync.replicas": str(settings.kafka_topic_min_insync_replicas),
    }
    if family.max_compaction_lag_ms is not None:
        configs["max.compaction.lag.ms"] = str(family.max_compaction_lag_ms)
    return TopicSpec(
        name=name,
        partitions=family.partitions,
        replication=settings.kafka_topic_replication_factor,
        configs=configs,
    )


def kafka_channel_binding(spec: TopicSpec) -> dict[str, Any]:
    """The AsyncAPI 3 Kafka channel binding (0.5.0) fields describing how `spec` is made."""
    configs = spec.configs
    configuration: dict[str, Any] = {}
    if "cleanup.policy" in configs:
        configuration["cleanup.policy"] = configs["cleanup.policy"].split(",")
    for name in ("retention.ms", "min.insync.replicas"):
        if name in configs:
            configuration[name] = int(configs[name])
    return {
        "partitions": spec.partitions,
        "replicas": spec.replication,
        "topicConfiguration": configuration,
    }


def default_topic_binding(topic: str) -> dict[str, Any]:
    """How the services make `topic` with the default `KAFKA_TOPIC_*` settings (a production
    cluster's: the AsyncAPI document describes the platform, not one machine's environment)."""
    return kafka_channel_binding(topic_spec(TopicSettings.defaults(), topic))


def check_brokers(plan: Sequence[TopicSpec], brokers: int, bootstrap_servers: str) -> None:
    """Raise NotEnoughBrokers when a topic of `plan` wants more replicas than `brokers`."""
    wanted = max((spec.replication for spec in plan), default=1)
    if wanted > brokers:
        raise NotEnoughBrokers(
            f"KAFKA_TOPIC_REPLICATION_FACTOR is {wanted} but the Kafka cluster at "
            f"{bootstrap_servers} has {brokers} broker{'s' if brokers != 1 else ''}: set "
            f"KAFKA_TOPIC_REPLICATION_FACTOR (and KAFKA_TOPIC_MIN_INSYNC_REPLICAS) to at most "
            f"{brokers}, or add brokers"
        )


def warn_of_fewer_partitions(plan: Sequence[TopicSpec], existing: Mapping[str, int]) -> list[str]:
    """Log a warning for each topic of `plan` that exists with fewer partitions than planned
    (it is not changed: more partitions move keys to other partitions, and so their order);
    return their names."""
    fewer = [s for s in plan if s.name in existing and existing[s.name] < s.partitions]
    for spec in fewer:
        log.warning(
            "kafka.topic_has_fewer_partitions",
            topic=spec.name,
            partitions=existing[spec.name],
            configured=spec.partitions,
            hint="left as it is; add partitions with kafka-topics --alter if wanted",
        )
    return [spec.name for spec in fewer]
