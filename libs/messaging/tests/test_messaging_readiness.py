"""`/ready` names the service's work that stopped: a background loop, or a consumer group."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from contacts_messaging.host import ServiceHost, Subscription
from contacts_servicekit.readiness import readiness_status
from contacts_servicekit.settings import ServiceSettings
from contacts_testing.consumers import wait_until

pytestmark = pytest.mark.integration


class ReadinessSettings(ServiceSettings):
    service_name: str = "readiness"
    http_port: int = 8099


async def test_ready_names_a_failed_background_loop_and_a_consumer_group_with_no_task_left(
    postgres_admin_url, kafka_bootstrap, service_schema
):
    settings = ReadinessSettings(
        database_url=postgres_admin_url, db_schema=service_schema,
        kafka_bootstrap_servers=kafka_bootstrap, kafka_namespace=f"r{uuid.uuid4().hex[:8]}",
    )  # fmt: skip
    host = ServiceHost(
        settings, [], produces=[],
        subscriptions=[Subscription("readiness.audit", ("readiness.events",), handlers={})],
    )  # fmt: skip
    failing = asyncio.Event()

    async def sweeper(_: ServiceHost) -> None:
        await failing.wait()
        raise RuntimeError("lost the sweep")

    host.add_background("sweeper", sweeper)
    await host.start()
    try:
        await wait_until(lambda: host.kafka_started)
        assert await host.readiness() == {"postgres": "ok", "kafka": "ok", "work": "ok"}

        failing.set()
        await wait_until(lambda: all(t.done() for t in host._tasks if t.get_name() == "sweeper"))
        assert (await host.readiness())["work"] == (
            "stopped: sweeper (RuntimeError('lost the sweep'))"
        )

        ((_, subscriber),) = host._subscribers
        for task in subscriber.tasks:  # as if FastStream could not restart its consume loop
            task.cancel()
        await wait_until(lambda: all(task.done() for task in subscriber.tasks))
        assert (await host.readiness())["work"] == (
            f"stopped: sweeper (RuntimeError('lost the sweep')); "
            f"consumer {settings.kafka_namespace}.readiness.audit"
        )
    finally:
        await host.stop()


async def test_kafka_lost_after_start_leaves_the_instance_in_service_degraded(
    postgres_admin_url, kafka_bootstrap, service_schema, monkeypatch
):
    """Writes go to the outbox whatever Kafka does, so an orchestrator must keep routing
    requests to the instance: `/ready` answers 200 `degraded`, never 503, for a lost Kafka."""
    settings = ReadinessSettings(
        database_url=postgres_admin_url, db_schema=service_schema,
        kafka_bootstrap_servers=kafka_bootstrap, kafka_namespace=f"r{uuid.uuid4().hex[:8]}",
    )  # fmt: skip
    host = ServiceHost(settings, [], produces=[], subscriptions=[])
    assert (await host.readiness())["kafka"] == "unavailable: not connected yet"
    await host.start()
    try:
        await wait_until(lambda: host.kafka_started)
        assert readiness_status(await host.readiness()) == "ready"

        async def unreachable() -> None:
            raise ConnectionError("all brokers gone")

        assert host._producer is not None
        monkeypatch.setattr(host._producer.client, "fetch_all_metadata", unreachable)
        checks = await host.readiness()

        assert checks["kafka"] == "degraded: ConnectionError (writes wait in the outbox)"
        assert readiness_status(checks) == "degraded"
    finally:
        await host.stop()
