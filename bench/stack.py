"""The bench's own Postgres, Kafka and directory-service process, and their clean-up."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO

import asyncpg
from contacts_testing.infra import LocalKafka, LocalPostgres
from contacts_testing.service_process import ServiceProcess

# Reserved for the bench: below the ephemeral range, away from the test and dev ports.
STATE_DIR = Path("/var/tmp/contacts-platform-bench")  # noqa: S108 - the bench's own state
PG_PORT = 25632
KAFKA_PORT = 29492
SCHEMA = "directory_bench"
READY_SECONDS = 120
LOCK_PATH = Path("/tmp/contacts-bench.lock")  # noqa: S108 - shared by the benches on purpose
LOCK_WAIT_SECONDS = 1800


@dataclass(frozen=True)
class Stack:
    postgres: LocalPostgres
    kafka: LocalKafka
    services: tuple[ServiceProcess, ...]  # instances of the directory service, one schema

    @property
    def service(self) -> ServiceProcess:
        return self.services[0]

    @property
    def dsn(self) -> str:
        return self.postgres.admin_url

    def postmaster_pid(self) -> int:
        pid_file = self.postgres.state_dir / "postgres" / "data" / "postmaster.pid"
        return int(pid_file.read_text().split()[0])

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


def _lock_within(handle: IO[str], seconds: float, what: str) -> None:
    """A blocking flock, so the bench queues with `flock(1)` waiters instead of polling past
    them (a poller never wins against a queue); SIGALRM bounds the wait."""
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        log(f"{what}: waiting for {LOCK_PATH} (another benchmark holds it)")

    def give_up(_signal: int, _frame: object) -> None:
        raise TimeoutError(f"{LOCK_PATH} still held after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(max(1, int(seconds)))
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


_held = 0  # machine_lock is re-entrant within the process


@contextlib.contextmanager
def machine_lock(what: str) -> Iterator[None]:
    """The machine-wide bench lock (flock on LOCK_PATH, as flock(1) takes it): one benchmark
    at a time on these two cores. Re-entrant: a bench may hold it for its whole run while
    its parts take it too."""
    global _held
    if _held:
        _held += 1
        try:
            yield
        finally:
            _held -= 1
        return
    with LOCK_PATH.open("a") as handle:
        _lock_within(handle, LOCK_WAIT_SECONDS, what)
        _held = 1
        try:
            yield
        finally:
            _held = 0
            fcntl.flock(handle, fcntl.LOCK_UN)


def process_children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGINT and SIGTERM raise KeyboardInterrupt right where the bench is, also inside
    `asyncio.run` (whose own SIGINT handling only cancels the main task, which a COPY in
    progress can swallow), so the clean-up below runs either way."""

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


async def recreate_schema(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}")
    finally:
        await conn.close()


async def drop_schema(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    finally:
        await conn.close()


def _start_infra(stack: contextlib.ExitStack, postgres: LocalPostgres, kafka: LocalKafka) -> None:
    """Both at once (Kafka takes the longer); each is stopped at exit even if the other fails."""
    stack.callback(_quietly, "kafka", kafka.stop)
    stack.callback(_quietly, "postgres", postgres.stop)
    with ThreadPoolExecutor(2) as pool:
        for future in [pool.submit(postgres.start), pool.submit(kafka.start)]:
            future.result(timeout=300)


def _stop_service(service: ServiceProcess) -> None:
    if service.process is None or service.process.poll() is not None:
        service.kill()  # closes the log file
        return
    try:
        service.terminate(20)
    except subprocess.TimeoutExpired:
        service.kill()


def _quietly(what: str, stop: Callable[[], object]) -> None:
    log(f"stopping {what}")
    try:
        stop()
    except Exception as error:  # clean-up goes on with the rest
        log(f"stopping {what} failed: {error!r}")


@contextlib.contextmanager
def running_stack(service_env: dict[str, str], instances: int = 1) -> Iterator[Stack]:
    """Postgres, Kafka, a fresh schema and `instances` directory-service processes on it
    (the first one migrates); all stopped on exit."""
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    (STATE_DIR / "logs").mkdir(exist_ok=True)
    postgres = LocalPostgres(port=PG_PORT, state_dir=STATE_DIR)
    kafka = LocalKafka(KAFKA_PORT, STATE_DIR)
    with contextlib.ExitStack() as stack:
        log(f"starting postgres :{PG_PORT} and kafka :{KAFKA_PORT} (state {STATE_DIR})")
        _start_infra(stack, postgres, kafka)
        asyncio.run(recreate_schema(postgres.admin_url))
        stack.callback(_quietly, "schema", lambda: asyncio.run(drop_schema(postgres.admin_url)))
        services = tuple(
            _start_service(stack, postgres, kafka, service_env, n) for n in range(instances)
        )
        yield Stack(postgres, kafka, services)


def _start_service(
    stack: contextlib.ExitStack,
    postgres: LocalPostgres,
    kafka: LocalKafka,
    extra_env: dict[str, str],
    number: int,
) -> ServiceProcess:
    env = {
        "DATABASE_URL": postgres.admin_url,
        "DB_SCHEMA": SCHEMA,
        "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap,
        **kafka.topic_env,
        **extra_env,
    }
    log_path = STATE_DIR / "logs" / f"directory-bench-{number}.log"
    return started(stack, "directory", env, log_path, f"directory service {number}")


def started(
    cleanup: contextlib.ExitStack, name: str, env: dict[str, str], log_path: Path,
    label: str = "",
) -> ServiceProcess:  # fmt: skip
    """`<name>-service` started and /ready, stopped when `cleanup` closes (any bench's)."""
    label = label or f"{name} service"
    service = ServiceProcess(name, env, log_path, workers=None)  # the platform defaults
    service.start()
    cleanup.callback(_quietly, label, lambda: _stop_service(service))
    pid = service.process.pid if service.process else "?"
    log(f"{label}: pid {pid} on {service.url} (log {log_path}); waiting for /ready")
    service.wait_for("/ready", seconds=READY_SECONDS)
    return service
