"""The contacts bench's own Postgres, Kafka and contacts-service process, and their clean-up.

The same idea as stack.py (the directory bench's), on the ports and state directory reserved
for this bench, so that the two can never touch each other's clusters.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from contacts_testing.infra import LocalKafka, LocalPostgres
from contacts_testing.service_process import ServiceProcess
from stack import log, process_children, started

STATE_DIR = Path("/var/tmp/contacts-platform-bench-contacts")  # noqa: S108 - the bench's own
PG_PORT = 25732
KAFKA_PORT = 29592  # and 29593 for its controller
SCHEMA = "contacts_bench"
READY_SECONDS = 120


@dataclass(frozen=True)
class Stack:
    postgres: LocalPostgres
    kafka: LocalKafka
    service: ServiceProcess
    log_path: Path

    @property
    def dsn(self) -> str:
        return self.postgres.admin_url

    def postmaster_pid(self) -> int:
        pid_file = self.postgres.state_dir / "postgres" / "data" / "postmaster.pid"
        return int(pid_file.read_text().split()[0])

    def service_pids(self) -> list[int]:
        """The service process and, with HTTP_WORKERS > 1, its worker processes."""
        assert self.service.process is not None
        return [self.service.process.pid, *process_children(self.service.process.pid)]


async def execute(dsn: str, sql: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def quietly(what: str, stop: Callable[[], object]) -> None:
    log(f"stopping {what}")
    try:
        stop()
    except Exception as error:  # clean-up goes on with the rest
        log(f"stopping {what} failed: {error!r}")


def stop_service(service: ServiceProcess) -> None:
    if service.process is None or service.process.poll() is not None:
        service.kill()  # closes the log file
        return
    try:
        service.terminate(20)
    except subprocess.TimeoutExpired:
        service.kill()


@contextlib.contextmanager
def running_stack(extra_env: dict[str, str]) -> Iterator[Stack]:
    """Postgres, Kafka, a fresh schema and the contacts service (migrated by itself, /ready);
    everything started here is stopped on exit, also on errors and Ctrl-C."""
    (STATE_DIR / "logs").mkdir(parents=True, exist_ok=True)
    postgres = LocalPostgres(port=PG_PORT, state_dir=STATE_DIR)
    kafka = LocalKafka(KAFKA_PORT, STATE_DIR)
    with contextlib.ExitStack() as stack:
        log(f"starting postgres :{PG_PORT} and kafka :{KAFKA_PORT} (state {STATE_DIR})")
        stack.callback(quietly, "kafka", kafka.stop)
        stack.callback(quietly, "postgres", postgres.stop)
        with ThreadPoolExecutor(2) as pool:  # both at once: Kafka takes the longer
            for future in [pool.submit(postgres.start), pool.submit(kafka.start)]:
                future.result(timeout=300)
        drop = f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"
        asyncio.run(execute(postgres.admin_url, f"{drop}; CREATE SCHEMA {SCHEMA}"))
        stack.callback(quietly, "schema", lambda: asyncio.run(execute(postgres.admin_url, drop)))
        env = {
            "DATABASE_URL": postgres.admin_url,
            "DB_SCHEMA": SCHEMA,
            "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap,
            **kafka.topic_env,
            "KAFKA_NAMESPACE": f"bench-contacts-{int(time.time())}",
            **extra_env,
        }
        log_path = STATE_DIR / "logs" / "contacts-bench.log"
        service = started(stack, "contacts", env, log_path)
        yield Stack(postgres, kafka, service, log_path)


@contextlib.contextmanager
def running_beside(
    dsn: str, kafka: LocalKafka, namespace: str, schema: str, log_dir: Path
) -> Iterator[ServiceProcess]:
    """The contacts service on another bench's Postgres and Kafka namespace (beside that
    bench's services, as in a deployment), on a fresh `schema`; both gone on exit."""
    with contextlib.ExitStack() as stack:
        asyncio.run(execute(dsn, f'CREATE SCHEMA "{schema}"'))
        drop = f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'
        stack.callback(quietly, f"schema {schema}", lambda: asyncio.run(execute(dsn, drop)))
        env = {
            "DATABASE_URL": dsn,
            "DB_SCHEMA": schema,
            "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap,
            **kafka.topic_env,
            "KAFKA_NAMESPACE": namespace,
            "LOG_LEVEL": "INFO",
        }
        yield started(stack, "contacts", env, log_dir / f"contacts-{schema}.log")
