"""Phone checks of a chunk spread over worker processes.

A check costs about 5 µs a number on the Rust engine (`IMPORT_PHONE_ENGINE=rphonenumbers`, the
default) and 22-28 µs on phonenumbers, all of it on the importer's one core unless spread.
Handing a slice to a worker costs about 0.45 µs a row in all (measured, bench/IMPORTER.md
"issue 18: the rest of the row"), so spreading pays with either engine. With `IMPORT_PARSE_PROCESSES` > 1 a large chunk is
split into that many slices, checked in worker processes at once, and the event loop stays
free meanwhile for the relay and the HTTP API. Small chunks are checked in the loop: a process
hop would cost more.

The workers are forked once at start-up, before the event loop and its threads exist (`spawn`
would re-import the whole service in each: 2-3 s and 250 MB apiece). The objects imported so
far are frozen first (`gc.freeze`), so the workers' garbage collection does not touch, and so
copy, the pages they share with the service. Should a worker die, the checks go on in-process.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import structlog
from contacts_servicekit.process import die_with_parent

from importer_service.domain.phones import check_phone

log = structlog.get_logger(__name__)

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


class PhoneCheckers:
    """`processes` <= 1: every check in the caller's process."""

    def __init__(self, processes: int, min_rows_per_process: int = MIN_ROWS_PER_PROCESS) -> None:
        self.processes = processes
        self.min_rows_per_process = min_rows_per_process
        self._pool: ProcessPoolExecutor | None = None

    async def check(
        self, raws: Sequence[str], default_region: str, row_regions: Sequence[str | None]
    ) -> Checked:
        slices = min(self.processes, len(raws) // max(self.min_rows_per_process, 1))
        if slices <= 1:
            return check_numbers(raws, default_region, row_regions)
        if self._pool is None:
            self.start()
        assert self._pool is not None
        loop = asyncio.get_running_loop()
        size = -(-len(raws) // slices)
        try:
            parts = await asyncio.gather(
                *(
                    loop.run_in_executor(self._pool, check_numbers, raws[start : start + size],
                                         default_region, row_regions[start : start + size])
                    for start in range(0, len(raws), size)
                )
            )  # fmt: skip
        except BrokenProcessPool:
            log.warning("phone_workers.broken", fallback="in-process checks")
            self.processes = 1
            self.close()
            return check_numbers(raws, default_region, row_regions)
        phones, codes, reasons = [], [], []
        for part_phones, part_codes, part_reasons in parts:
            phones += part_phones
            codes += part_codes
            reasons += part_reasons
        return phones, codes, reasons

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
