"""Replaying dead letters against real Kafka and Postgres: back on the original topic, applied
exactly once after the fix, never replayed twice by accident."""

from __future__ import annotations

import pytest
from contacts_events.topics import dead_letter_topic
from contacts_messaging.dead_letter_records import REPLAY_OF
from contacts_messaging.dead_letter_replay import Selection, replay_dead_letters
from contacts_messaging.kafka import ensure_topics
from contacts_messaging.topic_plan import TopicSpec
from contacts_testing.consumers import record_effect, running_consumer, send_raw, wait_until
from contacts_testing.events import probe_record
from contacts_testing.kafka_reader import read_topic
from prometheus_client import REGISTRY

pytestmark = pytest.mark.integration


def dead_lettered(group: str, topic: str) -> float:
    labels = {"group": group, "topic": topic, "type": "TestProbe", "outcome": "dead_lettered"}
    return REGISTRY.get_sample_value("events_consumed_total", labels) or 0.0


async def test_a_dead_letter_replayed_after_the_fix_is_applied_exactly_once(
    schema_pool, kafka_bootstrap, new_topic, unique_name, producer
):
    topic = await new_topic(partitions=1)
    group = unique_name("g")
    fixed = {"yet": False}

    async def refuses_probe_2_until_fixed(probe, event, conn, deps):
        if probe.seq == 2 and not fixed["yet"]:
            raise ValueError("bug: cannot apply probe 2")
        await record_effect(probe, event, conn, deps)

    sent = [probe_record(topic, seq=seq) for seq in (1, 2, 3)]
    for r in sent:
        await send_raw(producer, topic, r.key, r.value, r.headers)

    async with running_consumer(schema_pool, kafka_bootstrap, topic, group,
                                handler=refuses_probe_2_until_fixed, max_attempts=2) as consumer:  # fmt: skip
        await read_topic(kafka_bootstrap, dead_letter_topic(group), expect=1, seconds=30)
        await wait_until(lambda: consumer.applied == 2)
        assert dead_lettered(group, topic) == 1

        listed = await replay_dead_letters(kafka_bootstrap, group, dry_run=True)
        assert [(d.original_topic, d.original_offset) for d in listed.replayed] == [(topic, 1)]
        assert "bug: cannot apply probe 2" in listed.replayed[0].error
        assert listed.committed == {}

        fixed["yet"] = True  # the fix is deployed
        replay = await replay_dead_letters(kafka_bootstrap, group)
        assert len(replay.replayed) == 1
        assert replay.committed == {0: 1}
        await wait_until(lambda: consumer.applied == 3)

        again = await replay_dead_letters(kafka_bootstrap, group)  # run twice by mistake
        assert again.replayed == []
        assert again.committed == {}

        forced = await replay_dead_letters(kafka_bootstrap, group, Selection(offsets=[(0, 0)]))
        assert len(forced.replayed) == 1  # replayed on purpose: the inbox absorbs it
        await wait_until(lambda: consumer.duplicates == 1)

    effects = await schema_pool.fetch("SELECT seq FROM effects ORDER BY applied_at, seq")
    assert [row["seq"] for row in effects] == [1, 3, 2]
    on_topic = await read_topic(kafka_bootstrap, topic, expect=5, seconds=30)
    assert len(on_topic) == 5
    replayed = on_topic[3]
    assert (replayed.key, replayed.value) == (sent[1].key, sent[1].value)
    headers = dict(replayed.headers)
    assert {name: headers[name] for name, _ in sent[1].headers} == dict(sent[1].headers)
    assert headers[REPLAY_OF] == f"{dead_letter_topic(group)}:0:0".encode()
    assert not [name for name in headers if name.startswith("dlt-")]


def dlt_headers(original_topic: str | None, offset: int) -> list[tuple[str, bytes]]:
    headers = [("dlt-original-partition", b"0"), ("dlt-original-offset", str(offset).encode()),
               ("dlt-error", b"boom")]  # fmt: skip
    if original_topic is not None:
        headers.append(("dlt-original-topic", original_topic.encode()))
    return headers


async def test_a_filtered_replay_leaves_the_rest_for_the_next_run(
    kafka_bootstrap, new_topic, unique_name, producer
):
    orders, users = await new_topic("orders", partitions=1), await new_topic("users", partitions=1)
    group = unique_name("g")
    dlt = dead_letter_topic(group)
    await ensure_topics(kafka_bootstrap, [TopicSpec(dlt, partitions=1)])
    for n, original in enumerate([orders, users, None, orders]):
        await send_raw(producer, dlt, f"k{n}".encode(), f"v{n}".encode(), dlt_headers(original, n))

    first = await replay_dead_letters(kafka_bootstrap, group, Selection(topics=[orders]))
    assert [d.offset for d in first.replayed] == [0, 3]
    assert first.committed == {0: 1}  # stops at the users record, which was not replayed

    second = await replay_dead_letters(kafka_bootstrap, group)
    assert [d.offset for d in second.replayed] == [1, 3]  # 3 again: harmless for an inbox
    assert [(d.offset, why) for d, why in second.skipped] == [
        (2, "no dlt-original-topic header: cannot be replayed")
    ]
    assert second.committed == {0: 4}

    third = await replay_dead_letters(kafka_bootstrap, group)
    assert (third.replayed, third.skipped, third.committed) == ([], [], {})

    assert [r.value for r in await read_topic(kafka_bootstrap, orders, expect=3)] == [
        b"v0",
        b"v3",
        b"v3",
    ]
    assert [r.value for r in await read_topic(kafka_bootstrap, users, expect=1)] == [b"v1"]


async def test_a_group_that_never_dead_lettered_has_nothing_to_replay(kafka_bootstrap, unique_name):
    report = await replay_dead_letters(kafka_bootstrap, unique_name("g"))
    assert (report.replayed, report.skipped, report.committed) == ([], [], {})
