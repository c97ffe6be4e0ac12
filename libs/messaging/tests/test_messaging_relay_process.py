"""The outbox relay in a process of its own (`OUTBOX_RELAY_PROCESS`), on real Postgres and Kafka:
it publishes, its events count in the service's own metrics, it comes back after a SIGKILL,
it stops with the service, and it ends when the service is SIGKILLed."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from contacts_events.envelope import EventContext
from contacts_events.kafka_binding import from_record
from contacts_messaging.outbox import Outbox
from contacts_messaging.relay_process import RelayProcess
from contacts_servicekit.settings import ServiceSettings
from contacts_testing.consumers import wait_until
from contacts_testing.events import probe_registry, probe_type
from contacts_testing.kafka_reader import read_topic
from contacts_testing.processes import running
from prometheus_client import REGISTRY

pytestmark = pytest.mark.integration


class RelayingSettings(ServiceSettings):
    service_name: str = "relaying"
    http_port: int = 8098
    outbox_relay_process: bool = True


def _produced(topic: str) -> float:
    sample = REGISTRY.get_sample_value(
        "events_produced_total", {"topic": topic, "type": "TestProbe"}
    )
    return sample or 0.0


def _ids(records: list[Any]) -> list[uuid.UUID]:
    return sorted(from_record(r.key, r.value, r.headers, probe_registry).id for r in records)


async def _write(pool: asyncpg.Pool, topic: str, count: int) -> list[uuid.UUID]:
    probe = probe_type(topic)
    async with pool.acquire() as conn, conn.transaction():
        written = await Outbox("/services/relaying").add(
            conn, [probe(probe_id=uuid.uuid4(), seq=i) for i in range(count)], EventContext()
        )
    return [event.id for event in written]


async def test_the_relay_process_publishes_is_counted_here_and_comes_back_after_a_kill(
    schema_pool, service_schema, postgres_admin_url, kafka_bootstrap, new_topic
):
    settings = RelayingSettings(
        database_url=postgres_admin_url, db_schema=service_schema,
        kafka_bootstrap_servers=kafka_bootstrap,
    )  # fmt: skip
    topic = await new_topic()
    written = await _write(schema_pool, topic, 3)
    relay = RelayProcess(settings, stop_seconds=5)
    task = asyncio.create_task(relay.run())
    try:
        records = await read_topic(kafka_bootstrap, topic, expect=3, seconds=60)
        assert _ids(records) == sorted(written)
        await wait_until(lambda: _produced(topic) == 3, seconds=30)  # reported by the process
        first = relay.pid
        assert first is not None and first != os.getpid() and running(first)

        os.kill(first, signal.SIGKILL)
        await wait_until(lambda: relay.started == 2 and relay.pid is not None, seconds=30)
        assert relay.pid != first
        written += await _write(schema_pool, topic, 2)
        records = await read_topic(kafka_bootstrap, topic, expect=5, seconds=60)
        assert _ids(records) == sorted(written)  # each once
        await wait_until(lambda: _produced(topic) == 5, seconds=30)
        second = relay.pid
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert not running(second)  # stopped with the service, not left behind
    assert await schema_pool.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0


SERVICE = """
import asyncio, sys
from contacts_messaging.relay_process import RelayProcess
from contacts_servicekit.settings import ServiceSettings

class RelayingSettings(ServiceSettings):
    service_name: str = "relaying"
    http_port: int = 8098

async def main():
    relay = RelayProcess(RelayingSettings(database_url=sys.argv[1], db_schema=sys.argv[2],
                                          kafka_bootstrap_servers=sys.argv[3]))
    task = asyncio.create_task(relay.run())
    while relay.pid is None:
        await asyncio.sleep(0.05)
    print("relay", relay.pid, flush=True)
    await task

asyncio.run(main())
"""


def test_the_relay_process_ends_when_the_service_is_killed(
    service_schema, postgres_admin_url, kafka_bootstrap
):
    """SIGKILL leaves the service no time to stop its relay: the relay must still end (and with
    it its connection, so that another instance's relay may lead), not live on as an orphan."""
    service = subprocess.Popen(
        [sys.executable, "-c", SERVICE, postgres_admin_url, service_schema, kafka_bootstrap],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert service.stdout is not None
        line = ""
        while not line.startswith("relay "):  # after structlog's lines
            line = service.stdout.readline()
        relay = int(line.split()[1])
        deadline = time.monotonic() + 30
        while not _connected(relay) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert running(relay)
        service.kill()
        service.wait()
        deadline = time.monotonic() + 30
        while running(relay) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not running(relay)
    finally:
        service.kill()


def _connected(pid: int) -> bool:
    """Whether the process has connected (it has sockets open), i.e. is past its start-up."""
    try:
        return any("socket:" in os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
