"""The contacts bench's own Postgres, Kafka and contacts-service process (kit.py does the
starting and the clean-up), on the ports and state directory reserved for this bench, so that
it never touches another bench's clusters. `running_beside` puts the contacts service on
another bench's Postgres and Kafka instead."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from contacts_testing.infra import LocalKafka
from contacts_testing.service_process import ServiceProcess
from kit import BenchHome, Infra, fresh_schema, process_children, running_infra, started

STATE_DIR = Path("/var/tmp/contacts-platform-bench-contacts")  # noqa: S108 - the bench's own
PG_PORT = 25732
KAFKA_PORT = 29592  # and 29593 for its controller
HOME = BenchHome(STATE_DIR, PG_PORT, KAFKA_PORT)
SCHEMA = "contacts_bench"


@dataclass(frozen=True)
class Stack(Infra):
    service: ServiceProcess
    log_path: Path

    def service_pids(self) -> list[int]:
        """The service process and, with HTTP_WORKERS > 1, its worker processes."""
        assert self.service.process is not None
        return [self.service.process.pid, *process_children(self.service.process.pid)]


def _settings(dsn: str, kafka: LocalKafka, schema: str, namespace: str) -> dict[str, str]:
    return {
        "DATABASE_URL": dsn,
        "DB_SCHEMA": schema,
        "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap,
        **kafka.topic_env,
        "KAFKA_NAMESPACE": namespace,
    }


@contextlib.contextmanager
def running_stack(extra_env: dict[str, str]) -> Iterator[Stack]:
    """Postgres, Kafka, a fresh schema and the contacts service (migrated by itself, /ready);
    everything started here is stopped on exit, also on errors and Ctrl-C."""
    with running_infra(HOME) as (postgres, kafka), contextlib.ExitStack() as cleanup:
        fresh_schema(cleanup, postgres.admin_url, SCHEMA)
        namespace = f"bench-contacts-{int(time.time())}"
        env = {**_settings(postgres.admin_url, kafka, SCHEMA, namespace), **extra_env}
        log_path = HOME.logs / "contacts-bench.log"
        yield Stack(postgres, kafka, started(cleanup, "contacts", env, log_path), log_path)


@contextlib.contextmanager
def running_beside(
    dsn: str, kafka: LocalKafka, namespace: str, schema: str, log_dir: Path,
    extra: Mapping[str, str] | None = None,
) -> Iterator[ServiceProcess]:  # fmt: skip
    """The contacts service on another bench's Postgres and Kafka namespace (beside that
    bench's services, as in a deployment), on a fresh `schema`, with `extra` settings; both
    gone on exit."""
    with contextlib.ExitStack() as cleanup:
        fresh_schema(cleanup, dsn, schema)
        env = {**_settings(dsn, kafka, schema, namespace), "LOG_LEVEL": "INFO", **(extra or {})}
        yield started(cleanup, "contacts", env, log_dir / f"contacts-{schema}.log")
