"""The invitations bench's own Postgres and Kafka and, per scenario, the SMS provider stand-in
of the tests plus one `invitations-service` process on a fresh schema and Kafka namespace
(kit.py does the starting and the clean-up, also on errors and Ctrl-C)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from contacts_testing.infra import LocalKafka, LocalPostgres
from contacts_testing.service_process import ServiceProcess, free_port
from contacts_testing.sms_standin import SmsStandIn
from importer_kafka import kafka_pids
from kit import BenchHome, fresh_schema, postmaster_pid, started
from kit import running_infra as running_home

STATE_DIR = Path("/var/tmp/contacts-platform-bench-invitations")  # noqa: S108 - the bench's own
PG_PORT = 25932
KAFKA_PORT = 29792  # and 29793 for its controller


@dataclass(frozen=True)
class Scenario:
    name: str
    dsn: str
    bootstrap: str
    schema: str
    namespace: str
    standin: SmsStandIn | None  # None when it runs in a process of its own (`standin_apart`)
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


def running_infra(
    pg_port: int = PG_PORT, kafka_port: int = KAFKA_PORT, state_dir: Path = STATE_DIR
) -> contextlib.AbstractContextManager[tuple[LocalPostgres, LocalKafka]]:
    """Postgres and Kafka on the bench's reserved ports (another bench reusing this passes its
    own), started together, both stopped at exit."""
    return running_home(BenchHome(state_dir, pg_port, kafka_port))


@contextlib.contextmanager
def running_scenario(
    infra: tuple[LocalPostgres, LocalKafka],
    name: str,
    env: dict[str, str],
    provider_delay: float = 0.0,
    standin_apart: bool = False,
) -> Iterator[Scenario]:
    """A fresh schema and namespace, the SMS stand-in (answering after `provider_delay`
    seconds; in this process, or with `standin_apart` in one of its own, so that a load
    generator here does not hold the provider's answers back), and the service sending
    through it."""
    postgres, kafka = infra
    stamp = time.strftime("%H%M%S")
    schema, namespace = f"bench_invitations_{name}_{stamp}", f"bv-{name}-{stamp}"
    with contextlib.ExitStack() as cleanup:
        fresh_schema(cleanup, postgres.admin_url, schema)
        if standin_apart:
            standin, url = None, standin_process(cleanup, provider_delay)
        else:
            standin = cleanup.enter_context(SmsStandIn(delay_seconds=provider_delay))
            url = standin.url
        settings = {
            "DATABASE_URL": postgres.admin_url, "DB_SCHEMA": schema,
            "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap, "KAFKA_NAMESPACE": namespace, **kafka.topic_env,
            "SMS_PROVIDER": "http", "SMS_BASE_URL": url, "SMS_ACCOUNT_SID": "AC1",
            "SMS_AUTH_TOKEN": "bench", "SMS_SENDER_ID": "Contacts", **env,
        }  # fmt: skip
        log_path = STATE_DIR / "logs" / f"invitations-{name}-{stamp}.log"
        label = f"invitations service (SMS stand-in {url})"
        service = started(cleanup, "invitations", settings, log_path, label)  # its own default
        yield Scenario(
            name, postgres.admin_url, kafka.bootstrap, schema, namespace, standin, service,
            postmaster_pid(postgres), tuple(kafka_pids(kafka)),
        )  # fmt: skip


def standin_process(cleanup: contextlib.ExitStack, delay: float) -> str:
    """The SMS stand-in in a process of its own, stopped with `cleanup`; its URL once it
    answers."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - this interpreter, the bench's own module
        [sys.executable, "-m", "contacts_testing.sms_standin", str(port), str(delay)],
        stdout=subprocess.DEVNULL,
    )
    cleanup.callback(_stop, process)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the SMS stand-in exited ({process.returncode})")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return url
        time.sleep(0.1)
    raise RuntimeError(f"the SMS stand-in did not listen on {url} within 30 s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
