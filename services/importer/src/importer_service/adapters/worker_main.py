"""The program of a worker process: `python -m importer_service.adapters.worker_main
MODULE:FUNCTION` (see worker_process, which starts it).

It imports the job's module at once (polars and the readers: the slow part of starting), then
waits on stdin for its one request and the limits, sets them, runs the job and writes what it
yields to stdout as length-prefixed pickles: ("item", x)..., then ("end", None), or
("exhausted", (resource, detail)) or ("crashed", traceback). Anything the job prints goes to
stderr instead, so it cannot break the messages.
"""

from __future__ import annotations

import importlib
import os
import pickle
import resource
import struct
import sys
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, BinaryIO

from contacts_servicekit.process import die_with_parent

HEADER = struct.Struct("<Q")  # the length of the pickle that follows
MB = 1024 * 1024


@dataclass(frozen=True)
class WorkerLimits:
    memory_mb: int  # resident memory a worker may hold
    seconds: int  # CPU seconds a job may use (and seconds the service waits for each item)


def main() -> None:
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    die_with_parent(os.getppid())
    job = _job(sys.argv[1])
    try:
        request, limits = pickle.load(sys.stdin.buffer)  # noqa: S301 (from the service)
    except EOFError:
        return  # the service stopped before it needed this worker
    _limit(limits)
    _run(job, request, channel)


def _job(name: str) -> Callable[[Any], Iterable[Any]]:
    module, _, function = name.partition(":")
    job: Callable[[Any], Iterable[Any]] = getattr(importlib.import_module(module), function)
    return job


def _run(job: Callable[[Any], Iterable[Any]], request: Any, channel: BinaryIO) -> None:
    try:
        for item in job(request):
            write_message(channel, ("item", item))
        write_message(channel, ("end", None))
    except MemoryError:
        write_message(channel, ("exhausted", ("memory", "MemoryError")))
    except Exception:
        write_message(channel, ("crashed", traceback.format_exc()))


def write_message(channel: BinaryIO, message: tuple[str, Any]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    channel.write(HEADER.pack(len(data)))
    channel.write(data)
    channel.flush()


def _limit(limits: WorkerLimits) -> None:
    with open("/proc/self/statm") as statm:
        mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    address_space = mapped + 2 * limits.memory_mb * MB  # the ceiling: see worker_handle
    resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(usage.ru_utime + usage.ru_stime) + 1 + limits.seconds
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))  # SIGXCPU, then SIGKILL
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file of a worker it ended


if __name__ == "__main__":
    main()
