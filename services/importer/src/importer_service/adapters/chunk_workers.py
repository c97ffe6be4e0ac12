"""A chunk's work per row spread over worker processes: the parse step's phone checks, the
emit step's statuses and records (handlers/chunk_outcomes.py).

A check costs about 5 µs a number on the Rust engine (`IMPORT_PHONE_ENGINE=rphonenumbers`, the
default) and 22-28 µs on phonenumbers; a row's status and event about 9 µs; all of it on the
importer's one core unless spread. A slice's rows go to its worker as the CSV Postgres wrote
(row_frames), and its checks come back ready to store: handing it over costs the service about
0.2 µs a row in either step (measured, bench/IMPORTER.md), so spreading pays. With
`IMPORT_PARSE_PROCESSES` > 1 a large chunk is split into that many slices, worked on
in the worker processes at once, and the event loop stays free meanwhile for Postgres, the
relay and the HTTP API. Small chunks are done in the loop: a process hop would cost more.

The workers come from a fork server (`forkserver`), started in the background when an import
first needs them (`prepare_for`: a file's extraction past the rows of two slices, else the
first chunk that large; most instances' imports are pastes and short lists, which never pay
for it): a fresh interpreter that imports only the workers' modules, and forks each worker from
that one-threaded state. Forking the service itself would copy its threads' locks mid-use: polars'
thread pool (the emit step's columns, a file's reading) then deadlocks in the child. Each
worker is told the phone engine the service chose and dies with the service (the fork server
then ends too). Should a worker die, the work goes on in-process.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

import polars as pl
import structlog
from contacts_servicekit.process import die_with, die_with_parent

from importer_service.adapters import row_columns
from importer_service.adapters.chunk_checks import CheckedSlice
from importer_service.adapters.row_frames import PARSE, rows_frame
from importer_service.domain import phone_engine, phones
from importer_service.domain.phones import check_phone

log = structlog.get_logger(__name__)
T = TypeVar("T")

Checked = tuple[list[str | None], list[str], list[str]]
"""Per number, in order: E.164 when it may be invited (else None), reason code, sentence."""

MIN_ROWS_PER_PROCESS = 1000
WORKER_MODULES = (
    "importer_service.adapters.chunk_workers",
    "importer_service.handlers.chunk_outcomes",
)
"""What the fork server imports once, so that no worker imports them again."""


def check_numbers(
    raws: Sequence[str], default_region: str, row_regions: Sequence[str | None]
) -> Checked:
    phones: list[str | None] = []
    codes: list[str] = []
    reasons: list[str] = []
    for raw, region in zip(raws, row_regions, strict=True):
        check = check_phone(raw, default_region, region)
        phones.append(check.e164 if check.valid else None)
        codes.append(check.reason_code)
        reasons.append(check.reason)
    return phones, codes, reasons


def check_slice(rows_csv: bytes, default_region: str) -> CheckedSlice:
    """A slice's checks as they are stored, from its rows (`row_frames.PARSE`, as CSV): rows
    refused while being read (a cell too long) keep that fault, whatever their number."""
    rows = rows_frame(rows_csv, PARSE)
    faulty = rows.with_row_index("at").filter(pl.col("read_fault_code").is_not_null())
    return CheckedSlice.of(
        rows.get_column("row_number").to_list(),
        *check_numbers(
            rows.get_column("raw_phone").to_list(), default_region,
            rows.get_column("country").to_list(),
        ),
        {at: (code, reason) for at, code, reason in
         faulty.select("at", "read_fault_code", "read_fault").iter_rows()},
    )  # fmt: skip


class ChunkWorkers:
    """`processes` <= 1: all the work in the caller's process."""

    def __init__(self, processes: int, min_rows_per_process: int = MIN_ROWS_PER_PROCESS) -> None:
        self.processes = processes
        self.min_rows_per_process = min_rows_per_process
        self._pool: Future[ProcessPoolExecutor] | None = None

    async def check(self, rows_csv: Sequence[bytes], default_region: str) -> list[CheckedSlice]:
        """The phone checks of a chunk's slices (`row_ranges`, each fetched as CSV), in order,
        as they are stored."""
        return await self.spread(check_slice, [(part, default_region) for part in rows_csv])

    def row_ranges(self, first: int, last: int) -> list[tuple[int, int]]:
        """The chunk of rows `first`..`last` shared out as `slices` shares out its rows (by row
        number: a file's rows may have gaps where blank lines were skipped, rarely)."""
        return [(first + s.start, first + s.stop - 1) for s in self.slices(last - first + 1)]

    def slices(self, rows: int) -> list[slice]:
        """How a chunk of `rows` rows is shared out: one slice per process, or one slice in
        all when each would have fewer than `min_rows_per_process` rows."""
        count = max(1, min(self.processes, rows // max(self.min_rows_per_process, 1)))
        size = max(1, -(-rows // count))
        return [slice(start, start + size) for start in range(0, rows, size)] or [slice(0, 0)]

    async def spread(self, work: Callable[..., T], arguments: Sequence[tuple[Any, ...]]) -> list[T]:
        """`work(*args)` for each of `arguments`, at once in the worker processes (in this
        process when there is only one, or no workers); the results in the same order.
        `work` must be a module-level function of picklable arguments."""
        if len(arguments) <= 1 or self.processes <= 1:
            return [work(*args) for args in arguments]
        pool = await self._started()
        if pool is None:
            return [work(*args) for args in arguments]
        loop = asyncio.get_running_loop()
        try:
            return list(
                await asyncio.gather(
                    *(loop.run_in_executor(pool, work, *args) for args in arguments)
                )
            )
        except BrokenProcessPool as error:
            self._give_up("chunk_workers.broken", error)
            return [work(*args) for args in arguments]

    async def _started(self) -> ProcessPoolExecutor | None:
        """The workers, once started (None: they could not be, the work stays in-process)."""
        self.start()
        assert self._pool is not None
        try:
            return await asyncio.wrap_future(self._pool)
        except Exception as error:  # any failure to start: the work stays in-process
            self._give_up("chunk_workers.not_started", error)
            return None

    def _give_up(self, event: str, error: BaseException) -> None:
        log.warning(event, fallback="in-process", error=repr(error))
        self.processes = 1
        self.close()

    def prepare_for(self, rows: int) -> None:
        """Start the workers now if a chunk of `rows` rows would be shared out among them (so
        that they are ready when the chunk comes: a file's extraction calls it as it reads)."""
        if len(self.slices(rows)) > 1:
            self.start()

    def start(self) -> None:
        """Start the workers in the background (the fork server takes a second or two to
        import their modules); `spread` waits for them."""
        if self.processes <= 1 or self._pool is not None:
            return
        self._pool = Future()
        threading.Thread(
            target=self._launch, args=(self._pool,), name="chunk-workers-start", daemon=True
        ).start()

    def _launch(self, started: Future[ProcessPoolExecutor]) -> None:
        pool: ProcessPoolExecutor | None = None
        try:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(list(WORKER_MODULES))
            pool = ProcessPoolExecutor(
                self.processes, mp_context=context, initializer=_worker_start,
                initargs=(phones.engine_in_use().name, os.getpid()),
            )  # fmt: skip
            for ready in [pool.submit(worker_identity) for _ in range(self.processes)]:
                ready.result()
        except BaseException as error:  # handed to whoever waits for the pool
            log.warning("chunk_workers.start_failed", error=repr(error))
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            started.set_exception(error)
        else:
            log.info("chunk_workers.started", processes=self.processes)
            started.set_result(pool)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.add_done_callback(_shut_down)
            self._pool = None


def _shut_down(started: Future[ProcessPoolExecutor]) -> None:
    if started.exception() is None:
        started.result().shutdown(wait=False, cancel_futures=True)


def _worker_start(engine: str, service: int) -> None:
    """In each worker: end with the service and with the fork server, read numbers with the
    service's engine, and make the name pattern of the emit step's columns. (The service's
    end would tell a worker nothing else: the fork server hands each worker both ends of its
    pool's pipes, and the end of the server's own liveness pipe, so without this the workers
    and the server would wait for each other for good, as orphans.)"""
    die_with(service)
    die_with_parent(os.getppid())
    phones.use_engine(phone_engine.ENGINES[engine])
    row_columns.warm()


def worker_identity() -> tuple[int, str]:
    """A worker's process id and phone engine (what its start-up is checked with)."""
    return os.getpid(), phones.engine_in_use().name
