"""The invitations bench's own Postgres and Kafka and, per scenario, the SMS provider stand-in
of the tests plus one `invitations-service` process on a fresh schema and Kafka namespace.
Everything started here is stopped on exit, also on errors and Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from contacts_testing.infra import LocalKafka, LocalPostgres
from contacts_testing.service_process import ServiceProcess
from contacts_testing.sms_standin import SmsStandIn
from importer_kafka import kafka_pids
from importer_stack import quietly
from stack import log

STATE_DIR = Path("/var/tmp/contacts-platform-bench-invitations")  # noqa: S108 - the bench's own
PG_PORT = 25932
KAFKA_PORT = 29792  # and 29793 for its controller
READY_SECONDS = 120


@dataclass(frozen=True)
class Scenario:
    name: str
    dsn: str
    bootstrap: str
    schema: str
    namespace: str
    standin: SmsStandIn
    service: ServiceProcess
    postmaster: int  # the bench's Postgres
    brokers: tuple[int, ...]  # the bench's Kafka

    @property
    def pid(self) -> int:
        assert self.service.process is not None
        return self.service.process.pid

    def check_service(self) -> None:
        """Raise if the service process has exited."""
        if self.service.process is None or self.service.process.poll() is not None:
            raise RuntimeError(f"the invitations service exited; see {self.service.log_path}")


@contextlib.contextmanager
def running_infra(
    pg_port: int = PG_PORT, kafka_port: int = KAFKA_PORT, state_dir: Path = STATE_DIR
) -> Iterator[tuple[LocalPostgres, LocalKafka]]:
    """Postgres and Kafka on the bench's reserved ports (another bench reusing this passes its
    own), started together, both stopped at exit."""
    (state_dir / "logs").mkdir(parents=True, exist_ok=True)
    postgres, kafka = LocalPostgres(pg_port, state_dir), LocalKafka(kafka_port, state_dir)
    with contextlib.ExitStack() as stack:
        log(f"starting postgres :{pg_port} and kafka :{kafka_port} (state {state_dir})")
        stack.callback(quietly, "kafka", kafka.stop)
        stack.callback(quietly, "postgres", postgres.stop)
        with ThreadPoolExecutor(2) as pool:
            for future in [pool.submit(postgres.start), pool.submit(kafka.start)]:
                future.result(timeout=300)
        yield postgres, kafka


async def _execute(dsn: str, sql: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _ended(service: ServiceProcess) -> None:
    if service.process is not None and service.process.poll() is None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            service.terminate(20)
    service.kill()  # no-op when it ended; closes the log file


@contextlib.contextmanager
def running_scenario(
    infra: tuple[LocalPostgres, LocalKafka],
    name: str,
    env: dict[str, str],
    provider_delay: float = 0.0,
) -> Iterator[Scenario]:
    """A fresh schema and namespace, the SMS stand-in (answering after `provider_delay`
    seconds), and the service sending through it."""
    postgres, kafka = infra
    stamp = time.strftime("%H%M%S")
    schema, namespace = f"bench_invitations_{name}_{stamp}", f"bv-{name}-{stamp}"
    with contextlib.ExitStack() as stack:
        asyncio.run(_execute(postgres.admin_url, f'CREATE SCHEMA "{schema}"'))
        drop = f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'
        stack.callback(
            quietly, f"schema {schema}", lambda: asyncio.run(_execute(postgres.admin_url, drop))
        )
        standin = stack.enter_context(SmsStandIn(delay_seconds=provider_delay))
        settings = {
            "DATABASE_URL": postgres.admin_url, "DB_SCHEMA": schema,
            "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap, "KAFKA_NAMESPACE": namespace, **kafka.topic_env,
            "SMS_PROVIDER": "http", "SMS_BASE_URL": standin.url, "SMS_ACCOUNT_SID": "AC1",
            "SMS_AUTH_TOKEN": "bench", "SMS_SENDER_ID": "Contacts", **env,
        }  # fmt: skip
        log_path = STATE_DIR / "logs" / f"invitations-{name}-{stamp}.log"
        service = ServiceProcess("invitations", settings, log_path)
        service.start()
        stack.callback(quietly, "invitations service", lambda: _ended(service))
        log(f"invitations service: pid {service.process.pid if service.process else '?'} on "
            f"{service.url}, SMS stand-in {standin.url} (log {log_path}); waiting /ready")  # fmt: skip
        service.wait_for("/ready", seconds=READY_SECONDS)
        postmaster = int(
            (postgres.state_dir / "postgres" / "data" / "postmaster.pid").read_text().split()[0]
        )
        yield Scenario(
            name, postgres.admin_url, kafka.bootstrap, schema, namespace, standin, service,
            postmaster, tuple(kafka_pids(kafka)),
        )  # fmt: skip
