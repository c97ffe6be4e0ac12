"""Each service as a real process: starts, migrates its schema, is ready, stops cleanly."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import httpx
import pytest
from contacts_testing.consumers import wait_until
from contacts_testing.infra import TEST_STATE_DIR, LocalKafka
from contacts_testing.processes import descendants, running
from contacts_testing.service_process import ServiceProcess
from contacts_testing.topic_checks import kafka_admin, topic_configs

pytestmark = pytest.mark.integration

SERVICES = ("directory", "contacts", "importer", "invitations")
RELAY_APART = {"contacts", "importer", "invitations"}  # OUTBOX_RELAY_PROCESS by default


@pytest.mark.parametrize("name", SERVICES)
async def test_a_service_starts_migrates_is_ready_and_stops_cleanly(
    name, postgres_admin_url, kafka_bootstrap, service_schema, schema_pool, tmp_path
):
    service = ServiceProcess(
        name,
        {
            "DATABASE_URL": postgres_admin_url,
            "DB_SCHEMA": service_schema,
            "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        },
        tmp_path / f"{name}.log",
    )
    service.start()
    try:
        assert service.wait_for("/health").json() == {"status": "ok", "service": name}
        ready = service.wait_for("/ready").json()
        assert ready["checks"] == {"postgres": "ok", "kafka": "ok", "work": "ok"}
        paths = service.get("/openapi.json").json()["paths"]
        assert {"/health", "/ready"} <= set(paths)
        metrics = service.get("/metrics").text  # no token, like the probes
        assert f'outbox_backlog_events{{schema="{service_schema}"}}' in metrics
        assert 'http_request_duration_seconds_count{method="GET",route="/ready"' in metrics
        tables = {r["tablename"] for r in await schema_pool.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        )}  # fmt: skip
        assert {"outbox", "inbox", "schema_migrations"} <= tables
        assert service.process is not None
        if name in RELAY_APART:  # its relay runs in a process of its own
            await wait_until(lambda: "outbox.relay_leading" in service.log_path.read_text())
        helpers = descendants(service.process.pid)  # the relay, the importer's file reader
        relays = [pid for pid in helpers if b"contacts_messaging.relay_process" in _cmdline(pid)]
        assert len(relays) == (1 if name in RELAY_APART else 0)
        # uvicorn re-raises SIGTERM after a graceful shutdown, so the code is -15 either way;
        # the log says whether the lifespan (relay, consumers, pool) was closed in order
        assert service.terminate() in (0, -15)
        assert not [pid for pid in helpers if running(pid)]  # stopped with the service
        lines = service.log_path.read_text().splitlines()
        records = [json.loads(line) for line in lines]  # every line JSON, FastStream's too
        events = {r["event"] for r in records}
        assert "Application shutdown complete." in events
        assert {r["service"] for r in records} == {name}
        if name in RELAY_APART:
            assert "outbox.relay_process_stopping" in events
    finally:
        service.kill()


@pytest.mark.fault
async def test_a_service_serves_without_kafka_and_becomes_ready_when_kafka_arrives(
    postgres_admin_url, service_schema, tmp_path
):
    state = TEST_STATE_DIR / "late-broker"
    shutil.rmtree(state, ignore_errors=True)
    broker = LocalKafka(29392, state)
    service = ServiceProcess(
        "contacts",
        {
            "DATABASE_URL": postgres_admin_url,
            "DB_SCHEMA": service_schema,
            "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
        },
        tmp_path / "contacts.log",
    )
    service.start()
    try:
        service.wait_for("/health")
        unready = service.wait_for("/ready", status=503).json()
        assert unready["checks"]["postgres"] == "ok"
        assert unready["checks"]["kafka"].startswith("unavailable")
        broker.start()
        assert service.wait_for("/ready", seconds=90).json()["status"] == "ready"
    finally:
        service.kill()
        broker.kill()


async def test_the_directory_topics_keep_their_history_for_projection_rebuilds(
    postgres_admin_url, kafka_bootstrap, service_schema, tmp_path
):
    namespace = f"t{uuid.uuid4().hex[:8]}"
    service = ServiceProcess(
        "directory",
        {"DATABASE_URL": postgres_admin_url, "DB_SCHEMA": service_schema,
         "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "KAFKA_NAMESPACE": namespace},
        tmp_path / "directory.log",
    )  # fmt: skip
    service.start()
    try:
        service.wait_for("/ready")
    finally:
        service.kill()
    async with kafka_admin(kafka_bootstrap) as admin:
        configs = await topic_configs(admin, f"{namespace}.directory.users")
    assert configs["retention.ms"] == "-1"


def workers_of(pid: int) -> set[int]:
    """The processes uvicorn's supervisor spawned to serve (not multiprocessing's helpers)."""
    with open(f"/proc/{pid}/task/{pid}/children") as listing:
        children = [int(child) for child in listing.read().split()]
    workers = set()
    for child in children:
        with open(f"/proc/{child}/cmdline", "rb") as cmdline:
            if b"spawn_main" in cmdline.read():
                workers.add(child)
    return workers


def _cmdline(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


def ready_requests_counted(exposition: str) -> float:
    wanted = 'http_request_duration_seconds_count{method="GET",route="/ready",status="200"}'
    return sum(float(line.rsplit(" ", 1)[1]) for line in exposition.splitlines()
               if line.startswith(wanted))  # fmt: skip


def directory_with_two_workers(
    admin_url: str, bootstrap: str, schema: str, folder: Path
) -> ServiceProcess:
    env = {"DATABASE_URL": admin_url, "DB_SCHEMA": schema,
           "KAFKA_BOOTSTRAP_SERVERS": bootstrap, "HTTP_WORKERS": "2"}  # fmt: skip
    service = ServiceProcess("directory", env, folder / "directory.log")
    service.start()
    return service


async def test_http_workers_serve_one_port_from_several_processes_and_stop_with_it(
    postgres_admin_url, kafka_bootstrap, service_schema, tmp_path
):
    service = directory_with_two_workers(
        postgres_admin_url, kafka_bootstrap, service_schema, tmp_path
    )
    try:
        for _ in range(20):  # answered by either worker
            assert service.wait_for("/ready").json()["status"] == "ready"
        assert service.process is not None
        workers = workers_of(service.process.pid)
        assert len(workers) == 2
        await wait_until(  # each worker starts its own lifespan, the second maybe a bit later
            lambda: service.log_path.read_text().count("Application startup complete") == 2
        )
        for _ in range(3):  # whichever worker answers, /metrics counts both workers' requests
            assert ready_requests_counted(service.get("/metrics").text) >= 20
        async with httpx.AsyncClient(base_url=service.url) as http:
            for _ in range(4):  # and bounds request heads (HTTP_MAX_HEADER_BYTES, 16 KiB)
                padded = await http.get("/health", headers={"X-Pad": "a" * 20_000})
                assert padded.status_code == 431
        assert service.terminate() in (0, -15)
        assert not any(running(pid) for pid in workers)
        assert service.log_path.read_text().count("Application shutdown complete") == 2
    finally:
        service.kill()


async def test_http_workers_end_when_their_supervisor_is_killed(
    postgres_admin_url, kafka_bootstrap, service_schema, tmp_path
):
    service = directory_with_two_workers(
        postgres_admin_url, kafka_bootstrap, service_schema, tmp_path
    )
    try:
        service.wait_for("/ready")
        assert service.process is not None
        workers = workers_of(service.process.pid)
        assert len(workers) == 2
    finally:
        service.kill()  # SIGKILL: no graceful shutdown of the workers by the supervisor
    await wait_until(lambda: not any(running(pid) for pid in workers), seconds=30)
