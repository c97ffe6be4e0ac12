"""IMPORT_WORKERS_AT_START: an importer process starts its chunk workers (a fork server, then
its workers) as it starts, or only when an import first needs them."""

from __future__ import annotations

import pytest
from contacts_testing.consumers import wait_until
from contacts_testing.processes import descendants
from contacts_testing.service_process import ServiceProcess

pytestmark = pytest.mark.integration


def _fork_servers(pid: int) -> list[int]:
    servers = []
    for child in descendants(pid):
        try:
            with open(f"/proc/{child}/cmdline", "rb") as cmdline:
                if b"forkserver" in cmdline.read():
                    servers.append(child)
        except OSError:
            continue
    return servers


@pytest.mark.parametrize("at_start", [True, False])
async def test_the_chunk_workers_start_with_the_service_when_asked(
    at_start, postgres_admin_url, kafka_bootstrap, service_schema, tmp_path
) -> None:
    service = ServiceProcess(
        "importer",
        {"DATABASE_URL": postgres_admin_url, "DB_SCHEMA": service_schema,
         "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
         "IMPORT_WORKERS_AT_START": str(at_start).lower(), "IMPORT_PARSE_PROCESSES": "2"},
        tmp_path / "importer.log",
    )  # fmt: skip
    service.start()
    try:
        service.wait_for("/ready")
        assert service.process is not None
        pid = service.process.pid
        if at_start:  # the fork server, then its two workers
            await wait_until(lambda: len(_fork_servers(pid)) == 1, seconds=60)
            (server,) = _fork_servers(pid)
            await wait_until(lambda: len(descendants(server)) >= 2, seconds=60)
        else:  # the relay and the file reader have started by now; no fork server
            await wait_until(lambda: "outbox.relay_leading" in service.log_path.read_text())
            assert _fork_servers(pid) == []
    finally:
        service.kill()
