"""Topics are made as the `KAFKA_TOPIC_*` settings say; a plan the cluster cannot hold stops."""

from __future__ import annotations

import json
import uuid

import pytest
from aiokafka.admin import NewTopic
from contacts_messaging.kafka import ensure_topics
from contacts_messaging.topic_plan import NotEnoughBrokers, plan_topics
from contacts_servicekit.topic_settings import TopicSettings
from contacts_testing.consumers import wait_until
from contacts_testing.service_process import ServiceProcess
from contacts_testing.topic_checks import kafka_admin, replicas_of, topic_configs
from structlog.testing import capture_logs

pytestmark = pytest.mark.integration


def _settings(**values: object) -> TopicSettings:
    return TopicSettings.model_validate(
        {"kafka_topic_replication_factor": 1, "kafka_topic_min_insync_replicas": 1, **values}
    )


async def test_topics_are_created_with_their_familys_settings(kafka_bootstrap: str) -> None:
    ns = f"t{uuid.uuid4().hex[:8]}"
    settings = _settings(kafka_topic_events_partitions=3, kafka_topic_events_retention_ms=7_200_000,
                         kafka_topic_history_cleanup_policy="compact,delete",
                         kafka_topic_dead_letter_partitions=2)  # fmt: skip
    names = [f"{ns}.contacts.contacts", f"{ns}.directory.users", f"{ns}.directory.companies",
             f"{ns}.contacts.accounts.dlt"]  # fmt: skip

    created = await ensure_topics(kafka_bootstrap, plan_topics(settings, names, ns))

    assert sorted(created) == sorted(names)
    async with kafka_admin(kafka_bootstrap) as admin:
        events = await topic_configs(admin, f"{ns}.contacts.contacts")
        profiles = await topic_configs(admin, f"{ns}.directory.users")
        history = await topic_configs(admin, f"{ns}.directory.companies")
        assert (events["retention.ms"], events["cleanup.policy"]) == ("7200000", "delete")
        assert events["min.insync.replicas"] == "1"
        assert (history["retention.ms"], history["cleanup.policy"]) == ("-1", "compact,delete")
        assert (profiles["cleanup.policy"], profiles["max.compaction.lag.ms"]) == (
            "compact",
            str(24 * 3600 * 1000),
        )
        assert len(await replicas_of(admin, f"{ns}.contacts.contacts")) == 3
        assert len(await replicas_of(admin, f"{ns}.contacts.accounts.dlt")) == 2


async def test_more_replicas_than_brokers_is_refused_before_anything_is_made(
    kafka_bootstrap: str,
) -> None:
    topic = f"t{uuid.uuid4().hex[:8]}.contacts.contacts"
    plan = plan_topics(_settings(kafka_topic_replication_factor=3), [topic])

    with pytest.raises(
        NotEnoughBrokers, match=r"KAFKA_TOPIC_REPLICATION_FACTOR is 3 but .* has 1 broker:"
    ):
        await ensure_topics(kafka_bootstrap, plan)

    async with kafka_admin(kafka_bootstrap) as admin:
        assert topic not in await admin.list_topics()


async def test_a_topic_with_fewer_partitions_is_left_as_it_is_with_a_warning(
    kafka_bootstrap: str,
) -> None:
    topic = f"t{uuid.uuid4().hex[:8]}.contacts.contacts"
    async with kafka_admin(kafka_bootstrap) as admin:
        await admin.create_topics([NewTopic(topic, 2, 1)])

        async def listed() -> bool:
            return topic in await admin.list_topics()

        await wait_until(listed, seconds=10)

    with capture_logs() as logs:
        created = await ensure_topics(
            kafka_bootstrap, plan_topics(_settings(kafka_topic_events_partitions=6), [topic])
        )

    assert created == []
    warnings = [e for e in logs if e["event"] == "kafka.topic_has_fewer_partitions"]
    assert [(w["topic"], w["partitions"], w["configured"]) for w in warnings] == [(topic, 2, 6)]
    async with kafka_admin(kafka_bootstrap) as admin:
        assert len(await replicas_of(admin, topic)) == 2


def test_a_service_asked_for_more_replicas_than_brokers_exits_naming_the_setting(
    postgres_admin_url: str, kafka_bootstrap: str, service_schema: str, tmp_path
) -> None:
    service = ServiceProcess(
        "contacts",
        {"DATABASE_URL": postgres_admin_url, "DB_SCHEMA": service_schema,
         "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "KAFKA_NAMESPACE": f"t{uuid.uuid4().hex[:8]}",
         "KAFKA_TOPIC_REPLICATION_FACTOR": "3", "KAFKA_TOPIC_MIN_INSYNC_REPLICAS": "2"},
        tmp_path / "contacts.log",
    )  # fmt: skip
    service.start()
    try:
        assert service.process is not None
        assert service.process.wait(60) == 78  # EX_CONFIG, without a loop of retries
    finally:
        service.kill()
    records = [json.loads(line) for line in service.log_path.read_text().splitlines()]
    errors = [r for r in records if r["event"] == "service.misconfigured"]
    assert len(errors) == 1
    assert "KAFKA_TOPIC_REPLICATION_FACTOR is 3" in errors[0]["error"]
    assert "has 1 broker" in errors[0]["error"]
    assert not [r for r in records if r["event"] == "kafka.unavailable"]
