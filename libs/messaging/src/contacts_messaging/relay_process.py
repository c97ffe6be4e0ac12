"""The outbox relay in a process of its own (``OUTBOX_RELAY_PROCESS``, the importer's default).

A service's relay shares its event loop with everything else the service does. In the importer
that loop also runs the chunk steps (their Postgres statements, the hand-overs to the chunk
workers): the relay's record batches, their zstd and aiokafka took about 40 % of the loop's
busy time during a million-row import, and a step's `COPY` of statuses waited behind them with its
transaction open. In a process of its own the relay gets a core of its own when one is free,
and the steps stop waiting for it (bench/IMPORTER.md, "the relay in a process of its own").

`RelayProcess.run` starts the process (`python -m`: a fresh interpreter that imports the relay,
not the service) once Kafka is reachable, and starts it again after back-off whenever it ends: its
events wait in the outbox meanwhile, and the relay lock goes with its connection, so another
instance's relay may lead until it is back. When the service stops, so does the relay (SIGTERM,
then SIGKILL after `stop_seconds`); when the service dies, even by SIGKILL, the relay ends too
(`die_with`). What it publishes is counted in the service's own `events_produced_total`: the
process reports each batch Kafka acknowledged over a pipe.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import signal
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

import structlog
from aiokafka import AIOKafkaProducer
from contacts_servicekit.db import create_pool
from contacts_servicekit.kafka_settings import KafkaConnectionSettings
from contacts_servicekit.logging import configure_logging
from contacts_servicekit.process import die_with

from contacts_messaging.backoff import Backoff
from contacts_messaging.kafka import make_producer
from contacts_messaging.metrics import count_produced
from contacts_messaging.relay import OutboxRelay

if TYPE_CHECKING:
    from contacts_servicekit.settings import ServiceSettings

log = structlog.get_logger("contacts_messaging.relay_process")  # also when run as __main__


@dataclass(frozen=True)
class RelaySettings:
    """What the relay process needs of the service's settings, in classes it can import (the
    service's own settings class may not be: a test's, a script's)."""

    service_name: str
    database_url: str
    db_schema: str
    kafka: KafkaConnectionSettings
    linger_seconds: float
    log_level: str
    log_format: str

    @classmethod
    def of(cls, settings: ServiceSettings) -> RelaySettings:
        kafka = {name: getattr(settings, name) for name in KafkaConnectionSettings.model_fields}
        return cls(
            service_name=settings.service_name,
            database_url=settings.database_url,
            db_schema=settings.db_schema,
            kafka=KafkaConnectionSettings.model_construct(**kafka),  # validated already
            linger_seconds=settings.outbox_relay_linger_ms / 1000,
            log_level=settings.log_level,
            log_format=settings.log_format,
        )


class RelayProcess:
    """Keeps one relay process running for the service until cancelled."""

    def __init__(
        self, settings: ServiceSettings, *, stop_seconds: float = 10.0, steady_seconds: float = 60.0
    ) -> None:
        self.settings = RelaySettings.of(settings)
        self.stop_seconds = stop_seconds  # SIGTERM, then this long before SIGKILL
        self.steady_seconds = steady_seconds  # a process that ran this long restarts at once
        self.pid: int | None = None  # the running process's, if any
        self.started = 0  # processes started so far

    async def run(self) -> None:
        backoff = Backoff(initial=0.5, maximum=30.0)
        while True:
            began = time.monotonic()
            process, reports = await self._start()
            try:
                await _counting_until_closed(reports)
                await _ended(process, self.stop_seconds)
            except asyncio.CancelledError:
                await _ended(process, self.stop_seconds, terminate=True)
                raise
            finally:
                reports.close()
                self.pid = None
            if time.monotonic() - began >= self.steady_seconds:
                backoff.reset()
            delay = backoff.next_delay()
            log.warning(
                "outbox.relay_process_ended",
                pid=process.pid,
                exit_code=process.returncode,
                restart_in=round(delay, 2),
            )
            await asyncio.sleep(delay)

    async def _start(self) -> tuple[asyncio.subprocess.Process, Connection]:
        """The process (`python -m contacts_messaging.relay_process`), given its settings on
        its standard input and the pipe's write end for its reports."""
        read_end, write_end = os.pipe()
        try:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", __name__, str(os.getpid()), str(write_end),
                stdin=asyncio.subprocess.PIPE, pass_fds=(write_end,),
            )  # fmt: skip
        except BaseException:
            os.close(read_end)
            raise
        finally:
            os.close(write_end)  # the process's now: its end closes the pipe
        assert process.stdin is not None
        try:
            process.stdin.write(pickle.dumps(self.settings))
            await process.stdin.drain()
            process.stdin.close()
        except BaseException:  # cancelled meanwhile, say: no process left unwatched
            os.close(read_end)
            await _ended(process, 0, terminate=True)
            raise
        self.pid = process.pid
        self.started += 1
        log.info("outbox.relay_process_started", pid=process.pid)
        return process, Connection(read_end, writable=False)


async def _counting_until_closed(reports: Connection) -> None:
    """Count each batch the process reports until its end of the pipe closes (it ended)."""
    loop = asyncio.get_running_loop()
    closed = loop.create_future()

    def readable() -> None:
        try:
            count_produced(reports.recv())
        except (EOFError, OSError):
            if not closed.done():
                closed.set_result(None)

    loop.add_reader(reports.fileno(), readable)
    try:
        await closed
    finally:
        loop.remove_reader(reports.fileno())


async def _ended(
    process: asyncio.subprocess.Process, stop_seconds: float, *, terminate: bool = False
) -> None:
    """Wait for the process to end: SIGTERM first with `terminate`, SIGKILL after
    `stop_seconds` either way."""
    if terminate and process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
    try:
        await asyncio.wait_for(process.wait(), stop_seconds)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()


def main() -> None:
    """The relay process: relays the service's outbox until SIGTERM or the service's end.
    Arguments: the service's pid, the file descriptor of the reports' pipe; the settings come
    pickled on standard input (from the service itself)."""
    import uvloop  # the services' event loop (uvicorn's)

    service, report_fd = int(sys.argv[1]), int(sys.argv[2])
    die_with(service)
    settings: RelaySettings = pickle.loads(sys.stdin.buffer.read())  # noqa: S301 - the service's own
    configure_logging(settings.service_name, settings.log_level, settings.log_format)
    structlog.contextvars.bind_contextvars(process="outbox-relay")
    sys.exit(uvloop.run(_relay(settings, Connection(report_fd, readable=False))))


async def _relay(settings: RelaySettings, reports: Connection) -> int:
    """Relay until SIGTERM (exit status 0), or until Postgres cannot be reached (1: the
    service starts the process again after back-off)."""
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    try:
        await _relaying(settings, reports)
    except asyncio.CancelledError:
        log.info("outbox.relay_process_stopping")
    except Exception as exc:
        log.error("outbox.relay_process_failed", error=repr(exc))
        return 1
    return 0


async def _relaying(settings: RelaySettings, reports: Connection) -> None:
    pool = await create_pool(
        settings.database_url, settings.db_schema, min_size=1, max_size=2,
        application_name=f"{settings.service_name}-relay",
    )  # fmt: skip
    producer = make_producer(settings.kafka, settings.service_name)
    try:
        await _started(producer)
        relay = OutboxRelay(
            pool, settings.database_url, producer, settings.db_schema,
            linger_seconds=settings.linger_seconds, report=reports.send,
        )  # fmt: skip
        await relay.run()
    finally:
        with contextlib.suppress(Exception):
            await producer.stop()
        await pool.close()


async def _started(producer: AIOKafkaProducer) -> None:
    """Start the producer, retrying with back-off while Kafka does not answer."""
    backoff = Backoff(initial=0.5, maximum=10.0)
    while True:
        try:
            await producer.start()
            return
        except Exception as exc:
            delay = backoff.next_delay()
            log.warning("kafka.unavailable", error=repr(exc), retry_in=round(delay, 2))
            await asyncio.sleep(delay)


if __name__ == "__main__":
    main()
