"""The local three-node KRaft cluster: topics made with 3 copies stay writable without a node."""

from __future__ import annotations

import uuid

import pytest
from contacts_messaging.kafka import ensure_topics, make_producer
from contacts_messaging.topic_plan import plan_topics
from contacts_servicekit.topic_settings import TopicSettings
from contacts_testing.consumers import wait_until
from contacts_testing.kafka_cluster import LocalKafkaCluster
from contacts_testing.topic_checks import kafka_admin, replicas_of, topic_configs

pytestmark = pytest.mark.integration


def _cluster_settings(cluster: LocalKafkaCluster) -> TopicSettings:
    return TopicSettings.model_validate({k.lower(): v for k, v in cluster.topic_env.items()})


async def test_a_topic_made_with_replication_3_has_3_in_sync_replicas(
    kafka_cluster: LocalKafkaCluster,
) -> None:
    topic = f"t{uuid.uuid4().hex[:8]}.contacts.contacts"
    plan = plan_topics(_cluster_settings(kafka_cluster), [topic])

    await ensure_topics(kafka_cluster.bootstrap, plan)

    async with kafka_admin(kafka_cluster.bootstrap) as admin:

        async def all_in_sync() -> bool:
            replicas = await replicas_of(admin, topic)
            return len(replicas) == 8 and set(replicas.values()) == {(3, 3)}

        await wait_until(all_in_sync, seconds=30)
        assert (await topic_configs(admin, topic))["min.insync.replicas"] == "2"
        brokers = (await admin.describe_cluster())["brokers"]
        assert len(brokers) == 3


async def test_writes_are_acknowledged_with_a_node_down_and_it_catches_up(
    kafka_cluster: LocalKafkaCluster,
) -> None:
    topic = f"t{uuid.uuid4().hex[:8]}.contacts.contacts"
    await ensure_topics(
        kafka_cluster.bootstrap, plan_topics(_cluster_settings(kafka_cluster), [topic])
    )
    kafka_cluster.kill_node(3)
    assert not kafka_cluster.running()  # node 3 is down
    try:
        producer = make_producer(kafka_cluster.bootstrap, "cluster-test")
        await producer.start()
        try:
            for n in range(20):  # acks=all: 2 copies of 3 satisfy min ISR 2
                await producer.send_and_wait(topic, f"event {n}".encode(), key=str(n).encode())
        finally:
            await producer.stop()
    finally:
        kafka_cluster.start_node(3)
    async with kafka_admin(kafka_cluster.bootstrap) as admin:

        async def all_back_in_sync() -> bool:
            return set((await replicas_of(admin, topic)).values()) == {(3, 3)}

        await wait_until(all_back_in_sync, seconds=60)
