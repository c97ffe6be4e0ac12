"""Consumer lag per group and dead-letter counts, read from Kafka as an outside observer.

The lag of a partition is its end offset minus the group's committed offset: what the group
has not finished yet (an inbox consumer commits only after its transaction). A partition of a
topic the group reads but never committed on counts from the partition's first offset, as the
group starts from the earliest record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from contacts_messaging.dead_letter_replay import replay_group
from contacts_messaging.kafka import partitions_of
from contacts_messaging.kafka_connection import Kafka, client_options
from contacts_messaging.status.report import DeadLetterState, GroupLag, PartitionLag

_DLT_SUFFIX = ".dlt"

Offsets = Mapping[TopicPartition, int]


def platform_names(namespace: str, services: Sequence[str]) -> Callable[[str], bool]:
    """Whether a consumer group is one of the services' (`<namespace>.<service>.<...>`)."""
    prefix = f"{namespace}." if namespace else ""

    def ours(group: str) -> bool:
        rest = group.removeprefix(prefix) if group.startswith(prefix) else None
        if rest is None or rest.endswith(".dlt-replay"):
            return False
        return any(rest.startswith(f"{service}.") for service in services)

    return ours


async def kafka_state(
    kafka: Kafka, namespace: str, services: Sequence[str]
) -> tuple[list[GroupLag], list[DeadLetterState]]:
    admin = AIOKafkaAdminClient(**client_options(kafka), request_timeout_ms=5000)
    offsets = AIOKafkaConsumer(**client_options(kafka), request_timeout_ms=5000)
    try:
        await admin.start()
        await offsets.start()
        return await _read(admin, offsets, platform_names(namespace, services))
    finally:
        await offsets.stop()  # also after a failed start, which leaves connections behind
        await admin.close()


async def _read(
    admin: AIOKafkaAdminClient, offsets: AIOKafkaConsumer, ours: Callable[[str], bool]
) -> tuple[list[GroupLag], list[DeadLetterState]]:
    groups = sorted(group for group, _ in await admin.list_consumer_groups() if ours(group))
    partitions = await partitions_of(admin)
    dead_topics = sorted(t for t in partitions if t.endswith(_DLT_SUFFIX) and ours(t[:-4]))
    commits = {group: await _committed(admin, group) for group in groups}
    replayed = {t: await _committed(admin, replay_group(t[:-4])) for t in dead_topics}
    read_topics = {tp.topic for c in commits.values() for tp in c} | set(dead_topics)
    tps = [TopicPartition(t, p) for t in sorted(read_topics) for p in partitions.get(t, [])]
    ends: Offsets = await offsets.end_offsets(tps) if tps else {}
    firsts: Offsets = await offsets.beginning_offsets(tps) if tps else {}
    lags = [_group_lag(g, commits[g], ends, firsts) for g in groups]
    dead = [_dead_letters(t, replayed[t], ends, firsts) for t in dead_topics]
    return lags, dead


async def _committed(admin: AIOKafkaAdminClient, group: str) -> dict[TopicPartition, int]:
    found: dict[TopicPartition, Any] = await admin.list_consumer_group_offsets(group)
    return {tp: meta.offset for tp, meta in found.items() if meta.offset >= 0}


def _group_lag(
    group: str, committed: Mapping[TopicPartition, int], ends: Offsets, firsts: Offsets
) -> GroupLag:
    topics = {tp.topic for tp in committed}
    partitions = []
    for tp in sorted(
        (tp for tp in ends if tp.topic in topics), key=lambda t: (t.topic, t.partition)
    ):
        done = committed.get(tp)
        lag = ends[tp] - max(done if done is not None else firsts[tp], firsts[tp])
        partitions.append(PartitionLag(tp.topic, tp.partition, done, ends[tp], max(lag, 0)))
    return GroupLag(group, sum(p.lag for p in partitions), partitions)


def _dead_letters(
    topic: str, replayed: Mapping[TopicPartition, int], ends: Offsets, firsts: Offsets
) -> DeadLetterState:
    mine = [tp for tp in ends if tp.topic == topic]
    messages = sum(ends[tp] - firsts[tp] for tp in mine)
    left = sum(ends[tp] - max(replayed.get(tp, firsts[tp]), firsts[tp]) for tp in mine)
    return DeadLetterState(topic, topic[: -len(_DLT_SUFFIX)], messages, max(left, 0))
