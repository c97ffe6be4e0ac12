"""The topic plan: each topic's family gives how it is made; impossible plans say why."""

from __future__ import annotations

import pytest
from contacts_events.asyncapi import build_document
from contacts_events.topics import TopicFamily, family_of
from contacts_messaging.topic_plan import (
    NotEnoughBrokers,
    TopicSpec,
    check_brokers,
    default_topic_binding,
    plan_topics,
    warn_of_fewer_partitions,
)
from contacts_servicekit.topic_settings import TopicSettings
from structlog.testing import capture_logs

pytestmark = pytest.mark.unit


PRODUCTION = {  # the defaults, which the test process' environment overrides (one broker)
    "kafka_topic_replication_factor": 3,
    "kafka_topic_min_insync_replicas": 2,
    **{
        f"kafka_topic_{family}_partitions": 24
        for family in ("events", "profiles", "history", "work")
    },
}


def _settings(**values: object) -> TopicSettings:
    return TopicSettings.model_validate({**PRODUCTION, **values})


@pytest.mark.parametrize(
    ("topic", "family"),
    [
        ("contacts.contacts", TopicFamily.EVENTS),
        ("directory.users", TopicFamily.PROFILES),
        ("t1.directory.companies", TopicFamily.HISTORY),
        ("t1.importer.work", TopicFamily.WORK),
        ("t1.importer.express.work", TopicFamily.WORK),
        ("t1.importer.workers.dlt", TopicFamily.DEAD_LETTER),
        ("t1.contacts.contacts", TopicFamily.EVENTS),
    ],
)
def test_each_topic_belongs_to_its_family(topic: str, family: TopicFamily) -> None:
    assert family_of(topic, "t1" if topic.startswith("t1.") else "") is family


def test_the_plan_gives_each_topic_its_familys_settings() -> None:
    settings = _settings(kafka_topic_events_partitions=12, kafka_topic_work_partitions=6,
                         kafka_topic_events_retention_ms=3_600_000)  # fmt: skip
    topics = ["ns.contacts.contacts", "ns.directory.users", "ns.importer.work", "ns.g.dlt"]

    plan = {spec.name: spec for spec in plan_topics(settings, topics, "ns")}

    assert plan["ns.contacts.contacts"] == TopicSpec(
        "ns.contacts.contacts", 12, 3,
        {"retention.ms": "3600000", "cleanup.policy": "delete", "min.insync.replicas": "2"},
    )  # fmt: skip
    assert plan["ns.directory.users"].configs["retention.ms"] == "-1"
    assert plan["ns.importer.work"].partitions == 6
    assert plan["ns.g.dlt"].partitions == 1
    assert {spec.replication for spec in plan.values()} == {3}


def test_a_cluster_with_fewer_brokers_than_replicas_is_a_configuration_error() -> None:
    plan = plan_topics(_settings(), ["contacts.contacts"])
    check_brokers(plan, 3, "k:9092")  # enough
    with pytest.raises(NotEnoughBrokers) as error:
        check_brokers(plan, 1, "k:9092")
    assert str(error.value).startswith(
        "KAFKA_TOPIC_REPLICATION_FACTOR is 3 but the Kafka cluster at k:9092 has 1 broker:"
    )


def test_topics_with_fewer_partitions_than_planned_are_named_in_a_warning() -> None:
    plan = plan_topics(_settings(), ["contacts.contacts", "directory.users"])
    with capture_logs() as logs:
        fewer = warn_of_fewer_partitions(plan, {"contacts.contacts": 8, "directory.users": 24})
    assert fewer == ["contacts.contacts"]
    assert [(e["event"], e["topic"], e["partitions"], e["configured"]) for e in logs] == [
        ("kafka.topic_has_fewer_partitions", "contacts.contacts", 8, 24)
    ]


def test_the_asyncapi_document_says_how_each_topic_is_made() -> None:
    document = build_document(topic_binding=default_topic_binding)
    bindings = {c["address"]: c["bindings"]["kafka"] for c in document["channels"].values()}
    assert bindings["directory.users"]["topicConfiguration"] == {
        "cleanup.policy": ["compact"],
        "retention.ms": -1,
        "min.insync.replicas": 2,
    }  # binding 0.5.0 has no field for max.compaction.lag.ms (docs/kafka.md gives it)
    assert bindings["directory.companies"]["topicConfiguration"]["cleanup.policy"] == ["delete"]
    for binding in bindings.values():
        assert (binding["partitions"], binding["replicas"]) == (24, 3)
        assert binding["topicConfiguration"]["retention.ms"] != 0
        assert binding["bindingVersion"] == "0.5.0"
    assert bindings["contacts.contacts"]["topicConfiguration"]["retention.ms"] == 604_800_000
