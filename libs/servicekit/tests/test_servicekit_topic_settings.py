"""TopicSettings: the `KAFKA_TOPIC_*` variables, their production defaults and their errors."""

from __future__ import annotations

import pytest
from contacts_servicekit.settings import ServiceSettings, SettingsError
from contacts_servicekit.topic_settings import FamilyTopics, TopicSettings

pytestmark = pytest.mark.unit

FAMILIES = ("events", "profiles", "history", "work", "dead_letter")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in TopicSettings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)


def test_every_service_reads_them() -> None:
    assert set(TopicSettings.model_fields) <= set(ServiceSettings.model_fields)


def test_the_defaults_are_a_production_clusters() -> None:
    settings = TopicSettings.load()
    assert (settings.kafka_topic_replication_factor, settings.kafka_topic_min_insync_replicas) == (
        3,
        2,
    )
    assert settings.family("events") == FamilyTopics(24, 7 * 24 * 3600 * 1000, "delete")
    assert settings.family("profiles") == FamilyTopics(24, -1, "compact", 24 * 3600 * 1000)
    assert settings.family("history") == FamilyTopics(24, -1, "delete")  # kept for good
    assert settings.family("work").partitions == 24
    assert settings.family("dead_letter") == FamilyTopics(1, 28 * 24 * 3600 * 1000, "delete")


def test_each_family_reads_its_own_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for number, family in enumerate(FAMILIES, start=1):
        prefix = f"KAFKA_TOPIC_{family.upper()}_"
        monkeypatch.setenv(f"{prefix}PARTITIONS", str(number))
        monkeypatch.setenv(f"{prefix}RETENTION_MS", str(number * 3_600_000))
    monkeypatch.setenv("KAFKA_TOPIC_HISTORY_CLEANUP_POLICY", "compact,delete")
    monkeypatch.setenv("KAFKA_TOPIC_REPLICATION_FACTOR", "1")
    monkeypatch.setenv("KAFKA_TOPIC_MIN_INSYNC_REPLICAS", "1")

    settings = TopicSettings.load()

    for number, family in enumerate(FAMILIES, start=1):
        assert settings.family(family).partitions == number
        assert settings.family(family).retention_ms == number * 3_600_000
    assert settings.family("history").cleanup_policy == "compact,delete"
    assert settings.kafka_topic_replication_factor == 1


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("KAFKA_TOPIC_REPLICATION_FACTOR", "0", "greater than or equal to 1"),
        ("KAFKA_TOPIC_REPLICATION_FACTOR", "three", "valid integer"),
        ("KAFKA_TOPIC_MIN_INSYNC_REPLICAS", "4", "at most KAFKA_TOPIC_REPLICATION_FACTOR (3)"),
        ("KAFKA_TOPIC_EVENTS_PARTITIONS", "0", "greater than or equal to 1"),
        ("KAFKA_TOPIC_WORK_RETENTION_MS", "10", "-1 (kept for good) or at least 60000 ms"),
        ("KAFKA_TOPIC_HISTORY_RETENTION_MS", "-2", "greater than or equal to -1"),
        ("KAFKA_TOPIC_DEAD_LETTER_CLEANUP_POLICY", "forever", "'delete', 'compact'"),
    ],
)
def test_a_bad_value_names_the_variable_and_the_reason(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, reason: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as error:
        TopicSettings.load()
    assert f"{variable}: " in str(error.value)
    assert reason in str(error.value)


def test_min_insync_replicas_may_equal_the_replication_factor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KAFKA_TOPIC_REPLICATION_FACTOR", "1")
    monkeypatch.setenv("KAFKA_TOPIC_MIN_INSYNC_REPLICAS", "1")
    assert TopicSettings.load().kafka_topic_min_insync_replicas == 1


def test_an_unknown_family_is_refused() -> None:
    with pytest.raises(ValueError, match="no topic family 'archive'"):
        TopicSettings.defaults().family("archive")


def test_the_defaults_ignore_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_TOPIC_REPLICATION_FACTOR", "1")
    monkeypatch.setenv("KAFKA_TOPIC_MIN_INSYNC_REPLICAS", "1")
    assert TopicSettings.defaults().kafka_topic_replication_factor == 3
