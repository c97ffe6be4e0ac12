"""One worker process as the service holds it: started, given its request, read, watched, and
ended (see worker_process for why workers exist, worker_main for what they run).

The memory budget is enforced on the worker's resident memory, from here: the worker is
killed (SIGKILL, which nothing inside it can block) as soon as it holds more than its budget,
checked every `WATCH_SECONDS`. An address-space limit alone (`RLIMIT_AS`, set by the worker
too, at twice the budget, as the ceiling no burst between two checks can pass) counts address
space that is reserved and never used, and a polars thread whose allocation fails under it can
leave the worker waiting forever instead of ending. glibc reserves 64 MB of address space for
each thread that allocates (a tiny CSV read by polars reached 1.2 GB): `MALLOC_ARENA_MAX=2`
keeps that to two.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import signal
import sys
from pathlib import Path
from typing import Any

import structlog

from importer_service.adapters.worker_main import MB, WorkerLimits

log = structlog.get_logger(__name__)
WATCH_SECONDS = 0.05
STREAM_LIMIT = 4 * MB
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
PASSED_ON = frozenset({"PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ"})


class WorkerHandle:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self._over_memory = False
        self._watch: asyncio.Task[None] | None = None

    @classmethod
    async def spawn(cls, job: str) -> WorkerHandle:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "importer_service.adapters.worker_main", job,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, limit=STREAM_LIMIT,
            env=worker_environment(),
        )  # fmt: skip
        return cls(process)

    @property
    def alive(self) -> bool:
        return self.process.returncode is None

    async def send(self, request: Any, limits: WorkerLimits) -> None:
        """The worker's one request; its memory is watched from now on."""
        self._watch = asyncio.create_task(self._watch_memory(limits.memory_mb * MB))
        assert self.process.stdin is not None
        self.process.stdin.write(pickle.dumps((request, limits), pickle.HIGHEST_PROTOCOL))
        await self.process.stdin.drain()
        self.process.stdin.close()

    async def read(self, size: int) -> bytes:
        """`size` bytes of the worker's messages (IncompleteReadError once it has ended)."""
        assert self.process.stdout is not None
        return await self.process.stdout.readexactly(size)

    async def death(self) -> tuple[str, str]:
        """Why the worker ended without a word: over its memory (killed here, or Rust's abort
        when an allocation failed), or its CPU time (SIGXCPU, then SIGKILL)."""
        code = await self.process.wait()
        log.warning("worker.died", pid=self.process.pid, exit_code=code)
        if self._over_memory:
            return "memory", "its resident memory passed the budget"
        if -code in (signal.SIGXCPU, signal.SIGKILL):
            return "time", f"ended by signal {-code}"
        return "memory", f"exit code {code}"

    async def stop(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
        if self.alive:
            self.process.kill()
        await self.process.wait()

    async def _watch_memory(self, budget: int) -> None:
        with contextlib.suppress(OSError, ValueError):  # the worker has ended
            while self.alive:
                if resident_bytes(self.process.pid) > budget:
                    self._over_memory = True
                    self.process.kill()
                    return
                await asyncio.sleep(WATCH_SECONDS)


def worker_environment() -> dict[str, str]:
    """What a worker needs of the service's environment, and nothing more: a worker reads
    hostile files, so it gets no database URL, no JWT secret, no credentials."""
    kept = {name: value for name, value in os.environ.items()
            if name in PASSED_ON or name.startswith("POLARS_")}  # fmt: skip
    return {**kept, "MALLOC_ARENA_MAX": "2"}


def resident_bytes(pid: int) -> int:
    """A process' resident memory (procfs answers from memory: no disk is read)."""
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_BYTES
