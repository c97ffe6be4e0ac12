"""A chunk's numbers checked on worker processes give what checking them in-process gives."""

import os
import subprocess
import sys
import time

import polars as pl
import pytest
from contacts_testing.processes import descendants, running
from importer_service.adapters.chunk_checks import CheckedSlice
from importer_service.adapters.chunk_workers import ChunkWorkers, check_numbers, worker_identity
from importer_service.domain import phone_engine, phones

from .status_rows import rows_csv

pytestmark = pytest.mark.unit

NUMBERS = ["06 12 34 56 78", "+44 7400 123456", "01 23 45 67 89", "abc", "", "0612", "+33 6 99"]


async def test_worker_processes_give_the_in_process_answers_in_order() -> None:
    raws = [
        f"06 12 34 {i // 100:02d} {i % 100:02d}" if i % 7 else NUMBERS[i % 7] for i in range(70)
    ]
    raws += NUMBERS
    regions = [None if i % 3 else "GB" for i in range(len(raws))]
    faults = {3: ("cell_too_long", "Too long."), 60: ("cell_too_long", "Too long.")}
    numbers = [n + 2 + (n > 50) for n in range(len(raws))]  # from row 2, a blank line skipped
    rows = [
        (number, raw, region, *faults.get(at, (None, None)))
        for at, (number, raw, region) in enumerate(zip(numbers, raws, regions, strict=True))
    ]
    halves = (slice(0, 39), slice(39, 77))  # 77 numbers, in two slices; a fault in each
    checkers = ChunkWorkers(2, min_rows_per_process=10)
    checkers.start()
    try:
        spread = await checkers.check([rows_csv(rows[s]) for s in halves], "FR")
        assert checkers._pool is not None  # it did use the processes
    finally:
        checkers.close()
    assert spread == [
        CheckedSlice.of(numbers[s], *check_numbers(raws[s], "FR", regions[s]),
                        {at - s.start: f for at, f in faults.items() if s.start <= at < s.stop})
        for s in halves
    ]  # fmt: skip
    phones, codes, _reasons = check_numbers(raws, "FR", regions)
    assert phones[1] == "+33612340001" and codes[1] == "valid_mobile"
    assert spread[0].phones.split(",")[:4] == [*(p or "-" for p in phones[:3]), "-"]
    assert spread[1].codes.split(",")[60 - 39] == "cell_too_long"
    assert spread[1].row_numbers.split(",")[-1] == "79" and spread[1].rows == 38


def test_a_chunk_is_shared_out_by_row_number() -> None:
    checkers = ChunkWorkers(2, min_rows_per_process=1000)
    assert checkers.row_ranges(2, 2000) == [(2, 2000)]
    assert checkers.row_ranges(2, 10_001) == [(2, 5001), (5002, 10_001)]
    assert ChunkWorkers(1).row_ranges(7, 9) == [(7, 9)]


def test_the_workers_start_only_for_rows_they_would_share() -> None:
    checkers = ChunkWorkers(2, min_rows_per_process=1000)
    checkers.prepare_for(1999)  # one slice: in-process
    assert checkers._pool is None
    try:
        checkers.prepare_for(2000)
        assert checkers._pool is not None
    finally:
        checkers.close()
    alone = ChunkWorkers(1)
    alone.prepare_for(1_000_000)
    assert alone._pool is None


async def test_a_small_chunk_stays_in_process() -> None:
    checkers = ChunkWorkers(4, min_rows_per_process=1000)
    rows = [(n, raw, None, None, None) for n, raw in enumerate(NUMBERS, start=2)]
    assert await checkers.check([rows_csv(rows)], "FR") == [
        CheckedSlice.of(list(range(2, 9)), *check_numbers(NUMBERS, "FR", [None] * 7))
    ]
    assert checkers._pool is None


async def test_workers_start_after_polars_ran_here_and_read_with_its_engine() -> None:
    """A worker forked from a process whose polars threads ran hung in its first `select`:
    the workers come from a fork server, and are told the engine the service chose."""
    assert (
        pl.DataFrame({"a": [1, 2]}).select(pl.col("a").sum(), pl.col("a").max().alias("b")).height
    )
    chosen = phones.engine_in_use()
    phones.use_engine(phone_engine.PHONENUMBERS)
    workers = ChunkWorkers(2, min_rows_per_process=1)
    try:
        workers.start()
        answers = await workers.spread(worker_identity, [(), ()])
        assert workers._pool is not None  # it did use the processes
    finally:
        workers.close()
        phones.use_engine(chosen)
    assert [engine for _pid, engine in answers] == [phone_engine.PHONENUMBERS.name] * 2
    assert os.getpid() not in {pid for pid, _engine in answers}


SERVICE = """
import asyncio
from importer_service.adapters.chunk_workers import ChunkWorkers, worker_identity
async def main():
    workers = ChunkWorkers(2, min_rows_per_process=1)
    workers.start()
    await workers.spread(worker_identity, [(), ()])
    print("ready", flush=True)
    await asyncio.sleep(600)
asyncio.run(main())
"""


def test_the_workers_and_their_fork_server_end_when_the_service_is_killed() -> None:
    """SIGKILL leaves the service no time to stop its pool: its workers (and the fork server,
    which waits for them) must still end, not live on as orphans of 100-200 MB each."""
    service = subprocess.Popen([sys.executable, "-c", SERVICE], stdout=subprocess.PIPE, text=True)
    try:
        assert service.stdout is not None
        while service.stdout.readline().strip() != "ready":  # after structlog's lines
            assert service.poll() is None
        left = descendants(service.pid)
        assert len(left) >= 3  # the fork server and its two workers (and a resource tracker)
        service.kill()
        service.wait()
        deadline = time.monotonic() + 30
        while any(running(pid) for pid in left) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in left if running(pid)]
    finally:
        service.kill()
