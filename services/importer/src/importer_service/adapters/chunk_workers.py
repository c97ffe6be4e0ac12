"""A chunk's work per row spread over worker processes: the parse step's phone checks, the
emit step's statuses and records (handlers/chunk_outcomes.py).

A check costs about 5 µs a number on the Rust engine (`IMPORT_PHONE_ENGINE=rphonenumbers`, the
default) and 22-28 µs on phonenumbers; a row's status and event about 9 µs; all of it on the
importer's one core unless spread. Handing a slice to a worker costs about 0.45 µs a row for
the checks and 1 µs for the statuses and events (measured, bench/IMPORTER.md), so spreading
pays. With `IMPORT_PARSE_PROCESSES` > 1 a large chunk is split into that many slices, worked on
in the worker processes at once, and the event loop stays free meanwhile for Postgres, the
relay and the HTTP API. Small chunks are done in the loop: a process hop would cost more.

The workers are forked once at start-up, before the event loop and its threads exist (`spawn`
would re-import the whole service in each: 2-3 s and 250 MB apiece). The objects imported so
far are frozen first (`gc.freeze`), so the workers' garbage collection does not touch, and so
copy, the pages they share with the service. Should a worker die, the work goes on in-process.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

import structlog
from contacts_servicekit.process import die_with_parent

from importer_service.domain.phones import check_phone

log = structlog.get_logger(__name__)
T = TypeVar("T")

Checked = tuple[list[str | None], list[str], list[str]]
"""Per number, in order: E.164 when it may be invited (else None), reason code, sentence."""

MIN_ROWS_PER_PROCESS = 1000


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


class ChunkWorkers:
    """`processes` <= 1: all the work in the caller's process."""

    def __init__(self, processes: int, min_rows_per_process: int = MIN_ROWS_PER_PROCESS) -> None:
        self.processes = processes
        self.min_rows_per_process = min_rows_per_process
        self._pool: ProcessPoolExecutor | None = None

    async def check(
        self, raws: Sequence[str], default_region: str, row_regions: Sequence[str | None]
    ) -> Checked:
        """The phone checks of a chunk's numbers, in order."""
        parts = await self.spread(
            check_numbers,
            [(raws[s], default_region, row_regions[s]) for s in self.slices(len(raws))],
        )
        phones, codes, reasons = [], [], []
        for part_phones, part_codes, part_reasons in parts:
            phones += part_phones
            codes += part_codes
            reasons += part_reasons
        return phones, codes, reasons

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
        if self._pool is None:
            self.start()
        assert self._pool is not None
        loop = asyncio.get_running_loop()
        try:
            return list(
                await asyncio.gather(
                    *(loop.run_in_executor(self._pool, work, *args) for args in arguments)
                )
            )
        except BrokenProcessPool:
            log.warning("chunk_workers.broken", fallback="in-process")
            self.processes = 1
            self.close()
            return [work(*args) for args in arguments]

    def start(self) -> None:
        """Fork the workers now (call it before the event loop starts)."""
        if self.processes <= 1 or self._pool is not None:
            return
        gc.freeze()
        self._pool = ProcessPoolExecutor(
            self.processes, mp_context=multiprocessing.get_context("fork"),
            initializer=die_with_parent, initargs=(os.getpid(),),
        )  # fmt: skip
        self._pool.submit(check_numbers, [], "GB", []).result()  # forks all of them

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
