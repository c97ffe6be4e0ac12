"""A secured three-node cluster: every node takes only TLS + SASL/SCRAM-SHA-512 from clients
(and speaks it to the other brokers), topics are made with 3 copies and min ISR 2, and the
contacts service runs on it as its real process; a node SIGKILLed does not stop its events.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from contacts_events import UserRegistered
from contacts_events.connect_id import generate
from contacts_messaging.kafka_connection import client_options
from contacts_testing.infra import TEST_STATE_DIR
from contacts_testing.running_service import RunningService, running_service
from contacts_testing.secure_kafka import SecureKafka
from contacts_testing.tls import CertificateAuthority

pytestmark = pytest.mark.integration

STATE = TEST_STATE_DIR / "secure-cluster"
KAFKA_PORT = 29612  # nodes 1-3 on 29612, 29615, 29618 (controllers and MTLS on the ports between)
REPLICATED = {"KAFKA_TOPIC_REPLICATION_FACTOR": "3", "KAFKA_TOPIC_MIN_INSYNC_REPLICAS": "2"}


@pytest.fixture(scope="module")
def cluster() -> Iterator[SecureKafka]:
    authority = CertificateAuthority.create(STATE / "tls", "platform")
    with SecureKafka(STATE / "kafka", KAFKA_PORT, authority, nodes=3) as nodes:
        yield nodes


async def in_sync_replicas(cluster: SecureKafka, topic: str) -> list[int]:
    """How many copies of each partition of `topic` are in sync, read over SASL_SSL."""
    admin = AIOKafkaAdminClient(**client_options(cluster.connection()), request_timeout_ms=10_000)
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
        return [len(partition["isr"]) for partition in described["partitions"]]
    finally:
        await admin.close()


async def registered(svc: RunningService, name: str) -> None:
    """Publish a user's registration; return once the service's projection holds it."""
    user = UserRegistered(user_id=uuid.uuid4(), connect_id=generate(), display_name=name,
                          phone_e164="+447400900124")  # fmt: skip
    await svc.events.publish(user)
    query = "SELECT display_name FROM directory_users WHERE user_id = $1"
    assert await svc.until(lambda: svc.pool.fetchval(query, user.user_id), seconds=60) == name


async def test_a_service_runs_on_a_secured_cluster_and_outlives_a_node(
    cluster: SecureKafka, postgres_admin_url: str, tmp_path: Path
) -> None:
    kafka = cluster.connection()
    async with running_service(
        "contacts", postgres_admin_url, kafka, tmp_path, **REPLICATED
    ) as svc:
        await registered(svc, "Ada")
        topic = f"{svc.namespace}.directory.users"
        assert set(await in_sync_replicas(cluster, topic)) == {3}

        cluster.kill_node(3)
        await registered(svc, "Grace")  # acks=all from the 2 copies min ISR asks for

        cluster.start_node(3)
