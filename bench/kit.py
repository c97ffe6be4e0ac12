"""The benches' one kit: the machine lock, logging, their own Postgres and Kafka, fresh schemas,
service processes, and a clean-up that runs on errors and Ctrl-C too.

Each bench keeps only what is its own: its ports and state directory (a `BenchHome`), its
settings and its scenarios (directory_stack, contacts_stack, importer_stack, invitations_stack).
"""

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

LOCK_PATH = Path("/tmp/contacts-bench.lock")  # noqa: S108 - shared by the benches on purpose
LOCK_WAIT_SECONDS = 1800
READY_SECONDS = 120
INFRA_START_SECONDS = 300


@dataclass(frozen=True)
class BenchHome:
    """Where a bench's Postgres and Kafka live: state directory, Postgres port, Kafka port (its
    controller on the next one). Each bench has its own, so that no two share (nor stop) one."""

    state_dir: Path
    pg_port: int
    kafka_port: int

    @property
    def logs(self) -> Path:
        return self.state_dir / "logs"


@dataclass(frozen=True)
class Infra:
    """A bench's running Postgres and Kafka."""

    postgres: LocalPostgres
    kafka: LocalKafka

    @property
    def dsn(self) -> str:
        return self.postgres.admin_url

    def postmaster_pid(self) -> int:
        return postmaster_pid(self.postgres)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _lock_within(handle: IO[str], seconds: float | None, what: str) -> None:
    """A blocking flock, so the bench queues with `flock(1)` waiters instead of polling past
    them (a poller never wins against a queue); SIGALRM bounds the wait unless `seconds` is
    None."""
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        log(f"{what}: waiting for {LOCK_PATH} (another benchmark holds it)")
    if seconds is None:
        fcntl.flock(handle, fcntl.LOCK_EX)  # SIGTERM/SIGINT still interrupt it
        return

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
def machine_lock(what: str, wait_seconds: float | None = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """The machine-wide bench lock (flock on LOCK_PATH, as flock(1) takes it): one benchmark
    at a time on these two cores. Re-entrant: a bench may hold it for its whole run while
    its parts take it too. `wait_seconds=None` waits as long as it takes."""
    global _held
    if _held:
        _held += 1
        try:
            yield
        finally:
            _held -= 1
        return
    with LOCK_PATH.open("a") as handle:
        _lock_within(handle, wait_seconds, what)
        _held = 1
        try:
            yield
        finally:
            _held = 0
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGINT and SIGTERM raise KeyboardInterrupt right where the bench is, also inside
    `asyncio.run` (whose own SIGINT handling only cancels the main task, which a COPY in
    progress can swallow), so the clean-up runs either way."""

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def process_children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def postmaster_pid(postgres: LocalPostgres) -> int:
    pid_file = postgres.state_dir / "postgres" / "data" / "postmaster.pid"
    return int(pid_file.read_text().split()[0])


def quietly(what: str, stop: Callable[[], object]) -> None:
    """Run one clean-up step; a failure is logged and the clean-up goes on with the rest."""
    log(f"stopping {what}")
    try:
        stop()
    except Exception as error:
        log(f"stopping {what} failed: {error!r}")


async def execute(dsn: str, sql: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def start_together(
    cleanup: contextlib.ExitStack, postgres: LocalPostgres, kafka: LocalKafka
) -> None:
    """Both at once (Kafka takes the longer); each is stopped when `cleanup` closes, even if
    the other failed to start."""
    cleanup.callback(quietly, "kafka", kafka.stop)
    cleanup.callback(quietly, "postgres", postgres.stop)
    with ThreadPoolExecutor(2) as pool:
        for future in [pool.submit(postgres.start), pool.submit(kafka.start)]:
            future.result(timeout=INFRA_START_SECONDS)


@contextlib.contextmanager
def home_in_use(home: BenchHome) -> Iterator[None]:
    """Hold `home` for this run: a second run of the same bench (another session's, say)
    waits here instead of using, and at its end stopping, the Postgres and Kafka this run
    started. Whatever runs in `home` once the lock is held is a leftover of a killed run."""
    home.logs.mkdir(parents=True, exist_ok=True)
    with (home.state_dir / "in-use.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f"{home.state_dir} is in use by another run of this bench: waiting for it")
            fcntl.flock(handle, fcntl.LOCK_EX)  # SIGTERM/SIGINT still interrupt it
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def running_infra(home: BenchHome) -> Iterator[tuple[LocalPostgres, LocalKafka]]:
    """The bench's own Postgres and one-broker Kafka, both stopped on exit."""
    postgres, kafka = (
        LocalPostgres(home.pg_port, home.state_dir),
        LocalKafka(home.kafka_port, home.state_dir),
    )
    with home_in_use(home), contextlib.ExitStack() as cleanup:
        log(
            f"starting postgres :{home.pg_port} and kafka :{home.kafka_port} (state {home.state_dir})"
        )
        start_together(cleanup, postgres, kafka)
        yield postgres, kafka


def fresh_schema(cleanup: contextlib.ExitStack, dsn: str, schema: str) -> None:
    """`schema` created empty now (dropped first if a killed run left it), dropped when
    `cleanup` closes."""
    drop = f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'
    asyncio.run(execute(dsn, f'{drop}; CREATE SCHEMA "{schema}"'))
    cleanup.callback(quietly, f"schema {schema}", lambda: asyncio.run(execute(dsn, drop)))


def stop_service(service: ServiceProcess) -> None:
    """Terminate (20 s to finish), then kill; a process that already ended has its log closed."""
    if service.process is None or service.process.poll() is not None:
        service.kill()
        return
    try:
        service.terminate(20)
    except subprocess.TimeoutExpired:
        service.kill()


def started(
    cleanup: contextlib.ExitStack,
    name: str,
    env: dict[str, str],
    log_path: Path,
    label: str = "",
    workers: int | None = None,
) -> ServiceProcess:
    """`<name>-service` started and /ready, stopped when `cleanup` closes. `workers=None`: the
    platform's default HTTP workers (the benches measure the defaults)."""
    label = label or f"{name} service"
    log_path.parent.mkdir(parents=True, exist_ok=True)  # another bench's home, maybe never run
    service = ServiceProcess(name, env, log_path, workers=workers)
    service.start()
    cleanup.callback(quietly, label, lambda: stop_service(service))
    pid = service.process.pid if service.process else "?"
    log(f"{label}: pid {pid} on {service.url} (log {log_path}); waiting for /ready")
    service.wait_for("/ready", seconds=READY_SECONDS)
    return service
