"""Jobs in worker processes: their items come back in order, and a job that takes too much
memory or time, breaks, or sends what the service does not read, ends its worker with the
reason (standard-library functions serve as jobs: a worker imports its job by name)."""

from __future__ import annotations

import resource
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from importer_service.adapters.file_reader import FileReader
from importer_service.adapters.sources.errors import UnsupportedFile
from importer_service.adapters.sources.limits import SourceLimits
from importer_service.adapters.sources.sniff import FileFormat
from importer_service.adapters.worker_process import (
    WorkerCrashed,
    WorkerExhausted,
    WorkerLimits,
    WorkerPool,
)

from .hostile_files import repeated_ods

pytestmark = pytest.mark.unit

GB = 1024**3


async def items_of(pool: WorkerPool, request: Any, most: int = 10_000) -> list[Any]:
    found = []
    async for item in pool.run(request):
        found.append(item)
        if len(found) == most:
            break
    return found


async def test_a_jobs_items_come_back_in_order_and_a_spare_worker_serves_the_next() -> None:
    pool = WorkerPool("builtins:iter", WorkerLimits(256, 30), 1, allowed=())
    await pool.start()
    try:
        assert await items_of(pool, [("a", 1, None), ["b"]]) == [("a", 1, None), ["b"]]
        assert await items_of(pool, range(3)) == [0, 1, 2]
    finally:
        pool.close()


async def test_a_job_over_its_memory_ends_its_worker() -> None:
    pool = WorkerPool("builtins:bytearray", WorkerLimits(128, 30), 1, allowed=())
    with pytest.raises(WorkerExhausted) as exhausted:
        await items_of(pool, 4 * GB)
    assert exhausted.value.resource == "memory"


async def test_a_job_runs_under_hard_limits_of_address_space_cpu_time_and_no_core_file() -> None:
    pool = WorkerPool("resource:getrlimit", WorkerLimits(128, 7), 1, allowed=())
    memory, cpu, core = [
        await items_of(pool, kind)
        for kind in (resource.RLIMIT_AS, resource.RLIMIT_CPU, resource.RLIMIT_CORE)
    ]
    assert memory[0] == memory[1] < 2 * GB  # what the worker holds (~0.5 GB) + 128 MB
    assert 7 < cpu[0] < 7 + 10 and cpu[1] == cpu[0] + 5  # the seconds it used starting, + 7
    assert core == [0, 0]


async def test_a_worker_gets_none_of_the_services_secrets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JWT_SECRET", "the service's")
    monkeypatch.setenv("DATABASE_URL", "postgresql://importer:secret@db/contacts")
    pool = WorkerPool("os:getenv", WorkerLimits(256, 30), 1, allowed=())
    for name in ("JWT_SECRET", "DATABASE_URL"):
        with pytest.raises(WorkerCrashed, match="'NoneType' object is not iterable"):
            await items_of(pool, name)  # getenv found nothing to iterate
    assert await items_of(pool, "MALLOC_ARENA_MAX") == ["2"]


async def test_a_silent_job_is_given_up_on() -> None:
    pool = WorkerPool("time:sleep", WorkerLimits(256, 1), 1, allowed=())
    with pytest.raises(WorkerExhausted, match="nothing came for 1 s"):
        await items_of(pool, 60)


@pytest.mark.parametrize(
    ("request_", "said"),
    [(5, "TypeError: 'int' object is not iterable"), ([PurePosixPath("x")], "may not send")],
)
async def test_a_job_that_breaks_or_sends_a_class_not_allowed_is_a_crash(
    request_: Any, said: str
) -> None:
    pool = WorkerPool("builtins:iter", WorkerLimits(256, 30), 1, allowed=())
    with pytest.raises(WorkerCrashed, match=said):
        await items_of(pool, request_)


async def test_a_file_whose_reading_exhausts_the_worker_is_refused_as_too_complex(
    tmp_path: Path,
) -> None:
    path = tmp_path / "list.ods"
    path.write_bytes(repeated_ods(8_000, 1_000))  # 8 million cells: within the cell limit
    reader = FileReader(SourceLimits(), WorkerLimits(200, 60), 1)
    with pytest.raises(UnsupportedFile) as refused:
        await reader.inspect(path, FileFormat.ODS)
    assert refused.value.code == "file_too_complex"
    assert "more than the 200 MB of memory" in refused.value.message
