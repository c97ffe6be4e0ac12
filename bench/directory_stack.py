"""The directory bench's own Postgres, Kafka and directory-service processes (kit.py does the
starting and the clean-up; this module holds the bench's ports and what it measures)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from contacts_testing.service_process import ServiceProcess
from kit import (
    BenchHome,
    Infra,
    fresh_schema,
    log,
    process_children,
    running_infra,
    started,
)

# Reserved for the bench: below the ephemeral range, away from the test and dev ports.
STATE_DIR = Path("/var/tmp/contacts-platform-bench")  # noqa: S108 - the bench's own state
PG_PORT = 25632
KAFKA_PORT = 29492
HOME = BenchHome(STATE_DIR, PG_PORT, KAFKA_PORT)
SCHEMA = "directory_bench"


@dataclass(frozen=True)
class Stack(Infra):
    services: tuple[ServiceProcess, ...]  # instances of the directory service, one schema

    @property
    def service(self) -> ServiceProcess:
        return self.services[0]

    def service_pids(self) -> list[int]:
        """Each service process and, with HTTP_WORKERS > 1, its worker processes."""
        pids = [s.process.pid for s in self.services if s.process is not None]
        return [*pids, *(child for pid in pids for child in process_children(pid))]

    def service_pid(self) -> int:
        return self.service_pids()[0]

    def check_services(self) -> None:
        """Raise if a service process has exited (a Ctrl-C reaches it too, for one)."""
        for service in self.services:
            if service.process is None or service.process.poll() is not None:
                raise RuntimeError(f"the directory service exited; see {service.log_path}")


@contextlib.contextmanager
def running_stack(service_env: dict[str, str], instances: int = 1) -> Iterator[Stack]:
    """Postgres, Kafka, a fresh schema and `instances` directory-service processes on it
    (the first one migrates); all stopped on exit."""
    with running_infra(HOME) as (postgres, kafka), contextlib.ExitStack() as cleanup:
        fresh_schema(cleanup, postgres.admin_url, SCHEMA)
        env = {
            "DATABASE_URL": postgres.admin_url,
            "DB_SCHEMA": SCHEMA,
            "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap,
            **kafka.topic_env,
            **service_env,
        }
        services = tuple(
            started(
                cleanup,
                "directory",
                env,
                HOME.logs / f"directory-bench-{n}.log",
                f"directory service {n}",
            )
            for n in range(instances)
        )
        log(f"directory bench: {instances} service(s) on schema {SCHEMA}")
        yield Stack(postgres, kafka, services)
