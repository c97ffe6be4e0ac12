"""Replaying dead letters: put `<group>.dlt` records back on their original topics after a fix.

A run reads the dead-letter topic from where the previous run stopped (the committed offsets
of the consumer group `<group>.dlt-replay`) to its end as it was when the run began, sends
each selected record to its original topic and partition with its key, value and headers
(CloudEvents attributes included) plus a `replay-of` header, waits for Kafka to acknowledge
every one, and only then commits. So a second run replays nothing new, and a run that dies
half-way is redone from the last commit.

The committed offset never moves past a record that was not replayed: a record left out by a
filter (`topics`, `since`, `offsets`, `limit`) stops the commit on its partition, so a later
run still sees it. The records after it that this run did replay are then replayed again by
that later run; the consumer's inbox makes an event already applied a no-op, so that is
harmless. Records without an original topic can never be replayed and are passed over. A run
given explicit `offsets` reads from those offsets and commits nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import OffsetAndMetadata
from contacts_events.topics import dead_letter_topic

from contacts_messaging.dead_letter_records import DeadLetter
from contacts_messaging.kafka import make_producer, partitions_of
from contacts_messaging.kafka_connection import Kafka, client_options

log = structlog.get_logger(__name__)


READ_PATIENCE_ROUNDS = 30  # one-second fetches that may come back empty before giving up


def replay_group(group: str) -> str:
    """The consumer group whose offsets on `<group>.dlt` say what was replayed already."""
    return f"{group}.dlt-replay"


@dataclass(frozen=True)
class Selection:
    """Which dead letters to replay; by default all of them."""

    topics: Collection[str] = ()  # original topics; empty: any
    since: datetime | None = None  # dead-lettered at or after
    offsets: Collection[tuple[int, int]] = ()  # (partition, offset) on the dead-letter topic
    limit: int | None = None  # at most this many

    def excludes(self, letter: DeadLetter, chosen: int) -> str | None:
        """Why `letter` is left out, or None when it is to be replayed."""
        if letter.original_topic is None:
            return "no dlt-original-topic header: cannot be replayed"
        if self.topics and letter.original_topic not in self.topics:
            return "original topic not selected"
        if self.since is not None and letter.dead_lettered_at < self.since:
            return "dead-lettered before --since"
        if self.offsets and (letter.partition, letter.offset) not in self.offsets:
            return "offset not selected"
        if self.limit is not None and chosen >= self.limit:
            return "over --limit"
        return None


@dataclass
class ReplayReport:
    group: str
    dead_letter_topic: str
    dry_run: bool
    replayed: list[DeadLetter] = field(default_factory=list)
    skipped: list[tuple[DeadLetter, str]] = field(default_factory=list)
    committed: dict[int, int] = field(default_factory=dict)  # partition -> next offset

    def as_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "dead_letter_topic": self.dead_letter_topic,
            "dry_run": self.dry_run,
            "replayed": [letter.summary() for letter in self.replayed],
            "skipped": [{**letter.summary(), "reason": why} for letter, why in self.skipped],
            "committed": {str(p): offset for p, offset in sorted(self.committed.items())},
        }


async def replay_dead_letters(
    kafka: Kafka, group: str, selection: Selection = Selection(), *, dry_run: bool = False
) -> ReplayReport:
    """Replay the selected dead letters of consumer group `group` (its full, namespaced name)."""
    report = ReplayReport(group, dead_letter_topic(group), dry_run)
    consumer = AIOKafkaConsumer(
        **client_options(kafka),
        group_id=replay_group(group),
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    admin = AIOKafkaAdminClient(**client_options(kafka))
    await admin.start()
    await consumer.start()
    try:
        letters = await _read_to_end(admin, consumer, report.dead_letter_topic, selection)
        if letters is None:
            return report  # no such dead-letter topic: nothing was ever dead-lettered
        commit_to = _select(letters, selection, report)
        if selection.offsets:
            commit_to = {}  # read from the chosen offsets, not from the commit: leave it be
        if dry_run:
            return report
        await _publish(kafka, report.replayed)
        offsets = {TopicPartition(report.dead_letter_topic, p): OffsetAndMetadata(o, "")
                   for p, o in commit_to.items()}  # fmt: skip
        if offsets:
            await consumer.commit(offsets)
        report.committed = commit_to
        log.info("dlt.replayed", group=group, replayed=len(report.replayed),
                 skipped=len(report.skipped), committed=commit_to)  # fmt: skip
        return report
    finally:
        await consumer.stop()
        await admin.close()


async def _read_to_end(
    admin: AIOKafkaAdminClient, consumer: AIOKafkaConsumer, topic: str, selection: Selection
) -> list[DeadLetter] | None:
    """Every record from the committed offset (or the selected offsets) to the end of each
    partition as it is now, in offset order per partition."""
    partitions = (await partitions_of(admin, [topic])).get(topic)
    if not partitions:
        return None
    tps = [TopicPartition(topic, p) for p in partitions]
    consumer.assign(tps)
    ends = await consumer.end_offsets(tps)
    firsts = await consumer.beginning_offsets(tps)
    for tp in tps:
        if selection.offsets:
            chosen = [offset for p, offset in selection.offsets if p == tp.partition]
            start = min(chosen) if chosen else ends[tp]
        else:
            start = await consumer.committed(tp)
            start = firsts[tp] if start is None else start
        consumer.seek(tp, min(max(start, firsts[tp]), ends[tp]))
    letters: list[DeadLetter] = []
    remaining = {tp for tp in tps if await consumer.position(tp) < ends[tp]}
    idle_rounds = 0
    while remaining:
        batches = await consumer.getmany(*remaining, timeout_ms=1000)
        for tp, records in batches.items():
            letters += [DeadLetter.from_record(r) for r in records if r.offset < ends[tp]]
        remaining = {tp for tp in remaining if await consumer.position(tp) < ends[tp]}
        idle_rounds = 0 if batches else idle_rounds + 1
        if idle_rounds > READ_PATIENCE_ROUNDS:
            raise TimeoutError(f"{topic}: no records for {idle_rounds} s before its end offsets")
    return sorted(letters, key=lambda letter: (letter.partition, letter.offset))


def _select(
    letters: list[DeadLetter], selection: Selection, report: ReplayReport
) -> dict[int, int]:
    """Sort `letters` into replayed and skipped; return how far each partition may be committed."""
    commit_to: dict[int, int] = {}
    blocked: set[int] = set()  # partitions where a record was left out by a filter
    for letter in letters:
        why = selection.excludes(letter, len(report.replayed))
        if why is None:
            report.replayed.append(letter)
        else:
            report.skipped.append((letter, why))
        passable = why is None or letter.original_topic is None
        if not passable:
            blocked.add(letter.partition)
        elif letter.partition not in blocked:
            commit_to[letter.partition] = letter.offset + 1
    return commit_to


async def _publish(kafka: Kafka, letters: list[DeadLetter]) -> None:
    """Send every letter to its original topic and partition; return once all are acknowledged."""
    if not letters:
        return
    producer = make_producer(kafka, "contacts-dlt-replay")
    await producer.start()
    try:
        now = datetime.now(UTC)
        deliveries = [
            await producer.send(
                letter.original_topic,
                letter.value,
                key=letter.key,
                headers=letter.replay_headers(now),
                partition=letter.original_partition,
            )
            for letter in letters
        ]
        await asyncio.gather(*deliveries)
    finally:
        await producer.stop()
