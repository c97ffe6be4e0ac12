"""Jobs run in processes of their own, each under a hard memory and CPU-time limit.

A hostile file can make a reader allocate gigabytes or spin for minutes. In the service's own
process that takes the service down (or leaves its memory high for good); a worker is ended
instead: killed once its resident memory passes its budget (worker_handle), past
`RLIMIT_CPU` by the kernel (SIGXCPU, then SIGKILL), or when it has sent nothing for as many
seconds, and the service reports why. A worker runs one job and exits, so whatever it
allocated goes back to the system.

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
from collections.abc import AsyncGenerator, Collection
from typing import Any

from importer_service.adapters.worker_handle import WorkerHandle
from importer_service.adapters.worker_main import HEADER, MB, WorkerLimits

__all__ = ["WorkerCrashed", "WorkerExhausted", "WorkerLimits", "WorkerPool"]

MAX_MESSAGE = 256 * MB  # more than any batch needs: a worker claiming more is not believed


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
        self._spare: WorkerHandle | None = None

    async def start(self) -> None:
        """Have a worker ready for the next job (started when none runs: importing polars
        takes a core for half a second)."""
        if self._spare is None:
            self._spare = await WorkerHandle.spawn(self._job)

    def close(self) -> None:
        if self._spare is not None and self._spare.alive:
            self._spare.process.kill()
        self._spare = None

    async def run(self, request: Any) -> AsyncGenerator[Any, None]:
        """What the job yields for `request`. Raises WorkerExhausted or WorkerCrashed; the
        worker is gone when this ends, however it ends (close it with contextlib.aclosing)."""
        async with self._slots:
            worker = await self._take()
            try:
                await worker.send(request, self.limits)
                while (message := await self._receive(worker))[0] == "item":
                    yield message[1]
            finally:
                await worker.stop()
                await self.start()  # the next job's, importing once this one is done
        kind, payload = message
        if kind == "exhausted":
            raise WorkerExhausted(*payload)
        if kind == "crashed":
            raise WorkerCrashed(payload)

    async def _take(self) -> WorkerHandle:
        spare, self._spare = self._spare, None
        if spare is not None and spare.alive:
            return spare
        return await WorkerHandle.spawn(self._job)

    async def _receive(self, worker: WorkerHandle) -> tuple[str, Any]:
        try:
            async with asyncio.timeout(self.limits.seconds):
                (length,) = HEADER.unpack(await worker.read(HEADER.size))
                if length > MAX_MESSAGE:
                    return "crashed", f"the worker sent a message of {length:,} bytes"
                return self._loads(await worker.read(length))
        except pickle.UnpicklingError as error:
            return "crashed", f"the worker sent what the service does not read: {error}"
        except TimeoutError:
            return "exhausted", ("time", f"nothing came for {self.limits.seconds} s")
        except asyncio.IncompleteReadError:
            return "exhausted", await worker.death()

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
