"""Jobs run in processes of their own, each under a hard memory and CPU-time limit.

A hostile file can make a reader allocate gigabytes or spin for minutes. In the service's own
process that takes the service down (or leaves its memory high for good); in a worker, the
kernel ends the worker instead: past `RLIMIT_AS` allocations fail (Python raises MemoryError,
Rust aborts), past `RLIMIT_CPU` the worker gets SIGXCPU and then SIGKILL, and the service
reports why. A worker runs one job and exits, so whatever it allocated goes back to the system.

A worker is a fresh interpreter (worker_main), not a fork of the service: forking would copy
polars' thread pool in a broken state. It imports its job's module as it starts, and one
worker waits ready ahead of the next job, so a job does not pay the 0.4 s of importing polars.
What a job yields comes back pickled, one message per item (jobs yield batches, never single
rows); the service unpickles only the classes it allows, so even a worker taken over by a
hostile file cannot make the service run code.
"""

from __future__ import annotations

import asyncio
import io
import pickle
import signal
import sys
from collections.abc import AsyncGenerator, Collection
from typing import Any

import structlog

from importer_service.adapters.worker_main import HEADER, MB, WorkerLimits

__all__ = ["WorkerCrashed", "WorkerExhausted", "WorkerLimits", "WorkerPool"]

log = structlog.get_logger(__name__)
MAX_MESSAGE = 256 * MB  # more than any batch needs: a worker claiming more is not believed
STREAM_LIMIT = 4 * MB


class WorkerExhausted(Exception):
    """The job ran out of `resource` ("memory" or "time"), or its worker died (`detail`)."""

    def __init__(self, resource_name: str, detail: str) -> None:
        super().__init__(f"{resource_name}: {detail}")
        self.resource = resource_name
        self.detail = detail


class WorkerCrashed(Exception):
    """The job raised (a bug, with the worker's traceback), or broke the protocol."""


class WorkerPool:
    """Runs the job `MODULE:FUNCTION` in fresh workers, at most `concurrency` at once (more
    callers wait). `allowed` are the classes its items may hold, beyond builtin values."""

    def __init__(
        self, job: str, limits: WorkerLimits, concurrency: int, allowed: Collection[type]
    ) -> None:
        self.limits = limits
        self._job = job
        self._allowed = {(kind.__module__, kind.__qualname__): kind for kind in allowed}
        self._slots = asyncio.Semaphore(concurrency)
        self._spare: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Have a worker ready for the first job."""
        if self._spare is None:
            self._spare = await self._spawn()

    def close(self) -> None:
        if self._spare is not None and self._spare.returncode is None:
            self._spare.kill()
        self._spare = None

    async def run(self, request: Any) -> AsyncGenerator[Any, None]:
        """What the job yields for `request`. Raises WorkerExhausted or WorkerCrashed; the
        worker is gone when this ends, however it ends (close it with contextlib.aclosing)."""
        async with self._slots:
            worker = await self._take()
            try:
                await _send(worker, (request, self.limits))
                while (message := await self._receive(worker))[0] == "item":
                    yield message[1]
            finally:
                await _stop(worker)
        kind, payload = message
        if kind == "exhausted":
            raise WorkerExhausted(*payload)
        if kind == "crashed":
            raise WorkerCrashed(payload)

    async def _spawn(self) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "importer_service.adapters.worker_main", self._job,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, limit=STREAM_LIMIT,
        )  # fmt: skip

    async def _take(self) -> asyncio.subprocess.Process:
        spare, self._spare = self._spare, await self._spawn()
        if spare is not None and spare.returncode is None:
            return spare
        return await self._spawn()

    async def _receive(self, worker: asyncio.subprocess.Process) -> tuple[str, Any]:
        assert worker.stdout is not None
        try:
            async with asyncio.timeout(self.limits.seconds):
                (length,) = HEADER.unpack(await worker.stdout.readexactly(HEADER.size))
                if length > MAX_MESSAGE:
                    return "crashed", f"the worker sent a message of {length:,} bytes"
                return self._loads(await worker.stdout.readexactly(length))
        except pickle.UnpicklingError as error:
            return "crashed", f"the worker sent what the service does not read: {error}"
        except TimeoutError:
            return "exhausted", ("time", f"nothing came for {self.limits.seconds} s")
        except asyncio.IncompleteReadError:
            return "exhausted", await _death(worker)

    def _loads(self, data: bytes) -> tuple[str, Any]:
        message: tuple[str, Any] = _AllowedUnpickler(io.BytesIO(data), self._allowed).load()
        return message


class _AllowedUnpickler(pickle.Unpickler):
    """Builtin values (str, int, None, lists, tuples, dicts) and the allowed classes only."""

    def __init__(self, data: io.BytesIO, allowed: dict[tuple[str, str], type]) -> None:
        super().__init__(data)
        self._allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self._allowed:
            return self._allowed[(module, name)]
        raise pickle.UnpicklingError(f"a worker may not send {module}.{name}")


async def _send(worker: asyncio.subprocess.Process, message: Any) -> None:
    assert worker.stdin is not None
    worker.stdin.write(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
    await worker.stdin.drain()
    worker.stdin.close()


async def _death(worker: asyncio.subprocess.Process) -> tuple[str, str]:
    """Why a worker ended without a word: SIGXCPU or SIGKILL (the CPU limit's) is time,
    anything else (Rust's abort when an allocation fails, a crash) is taken for memory."""
    code = await worker.wait()
    log.warning("worker.died", pid=worker.pid, exit_code=code)
    if -code in (signal.SIGXCPU, signal.SIGKILL):
        return "time", f"ended by signal {-code}"
    return "memory", f"exit code {code}"


async def _stop(worker: asyncio.subprocess.Process) -> None:
    if worker.returncode is None:
        worker.kill()
    await worker.wait()
