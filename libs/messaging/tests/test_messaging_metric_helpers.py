"""The messaging metrics' helpers and the dead-letter replay's selection, without I/O."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from contacts_messaging.dead_letter_records import REPLAY_OF, DeadLetter
from contacts_messaging.dead_letter_replay import ReplayReport, Selection, _select
from contacts_messaging.metrics import count_consumed, type_label
from prometheus_client import REGISTRY

pytestmark = pytest.mark.unit

T0 = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ce_type", "label"),
    [
        ("io.connect.contacts.ContactAdded.v1", "ContactAdded"),
        ("io.connect.contacts.UserRegistered.v12", "UserRegistered"),
        ("com.example.Other.v1", "unknown"),
        ("io.connect.contacts.ContactAdded", "unknown"),
        ("", "unknown"),
        (None, "unknown"),
    ],
)
def test_type_label_is_the_event_name_or_unknown(ce_type, label):
    assert type_label(ce_type) == label


def test_count_consumed_adds_one_per_record_in_one_increment_per_series():
    group = f"g-{uuid.uuid4().hex[:8]}"
    count_consumed(group, "ok", [("t1", "A"), ("t1", "A"), ("t2", "A"), ("t1", "B")])
    count_consumed(group, "duplicate", [("t1", "A")])
    count_consumed(group, "ignored", [])

    def seen(topic: str, kind: str, outcome: str) -> float | None:
        labels = {"group": group, "topic": topic, "type": kind, "outcome": outcome}
        return REGISTRY.get_sample_value("events_consumed_total", labels)

    assert seen("t1", "A", "ok") == 2
    assert seen("t2", "A", "ok") == 1
    assert seen("t1", "B", "ok") == 1
    assert seen("t1", "A", "duplicate") == 1
    assert seen("t1", "A", "ignored") is None  # an empty batch creates no series


def letter(offset: int, topic: str | None = "orders", *, partition: int = 0, age_minutes: int = 0,
           headers: tuple[tuple[str, bytes], ...] = ()) -> DeadLetter:  # fmt: skip
    return DeadLetter(
        topic="g.dlt", partition=partition, offset=offset,
        dead_lettered_at=T0 - timedelta(minutes=age_minutes), original_topic=topic,
        original_partition=0, original_offset=offset * 10, error="boom", attempts=3,
        event_type=None, event_id=None, key=b"k", value=b"v", headers=headers,
    )  # fmt: skip


def select(letters: list[DeadLetter], selection: Selection) -> tuple[list[int], dict[int, int]]:
    report = ReplayReport("g", "g.dlt", dry_run=True)
    commit_to = _select(letters, selection, report)
    return [r.offset for r in report.replayed], commit_to


def test_everything_is_replayed_and_committed_by_default():
    letters = [letter(0), letter(1), letter(0, partition=1)]
    assert select(letters, Selection()) == ([0, 1, 0], {0: 2, 1: 1})


def test_a_filtered_out_record_stops_the_commit_on_its_partition_only():
    letters = [letter(0, "orders"), letter(1, "users"), letter(2, "orders"),
               letter(0, "orders", partition=1)]  # fmt: skip
    replayed, commit_to = select(letters, Selection(topics=("orders",)))
    assert replayed == [0, 2, 0]
    assert commit_to == {0: 1, 1: 1}  # partition 0 waits at the users record


def test_since_and_limit_leave_records_for_a_later_run():
    letters = [letter(0, age_minutes=90), letter(1, age_minutes=10), letter(2), letter(3)]
    assert select(letters, Selection(since=T0 - timedelta(minutes=30))) == ([1, 2, 3], {})
    assert select(letters, Selection(limit=2)) == ([0, 1], {0: 2})


def test_a_record_without_an_original_topic_is_passed_over_for_good():
    replayed, commit_to = select([letter(0, None), letter(1)], Selection())
    assert replayed == [1]
    assert commit_to == {0: 2}


def test_replay_headers_keep_the_originals_and_mark_the_replay():
    original = (("ce_id", b"e-1"), ("ce_type", b"io.connect.contacts.ContactAdded.v1"))
    headers = letter(7, headers=original).replay_headers(T0)
    assert headers[:2] == list(original)
    assert dict(headers)[REPLAY_OF] == b"g.dlt:0:7"
