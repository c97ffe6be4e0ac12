"""The `main()` of every service: load settings, configure logging, serve HTTP.

With ``HTTP_WORKERS=N`` (N > 1) uvicorn's supervisor serves the port with N worker processes;
each builds the whole service (pool, outbox relay, consumers) as a separate instance would,
which the platform supports: one worker's outbox relay leads under an advisory lock (the
others wait to take over) and the consumer group shares the partitions. Each worker learns
what to build from two environment variables the supervisor sets (see :func:`worker_app`), and unless ``PROMETHEUS_MULTIPROC_DIR`` is
given, the supervisor makes a fresh one so that ``/metrics`` of any worker sums them all.

``<service>-service migrate`` applies the service's migrations and exits instead of serving
(:mod:`contacts_servicekit.migrate_command`).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
import tempfile
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import uvicorn
from fastapi import FastAPI

from contacts_servicekit.head_limit import BoundedHeadProtocol, HeadLimits
from contacts_servicekit.logging import configure_logging
from contacts_servicekit.metrics_exposition import MULTIPROCESS_DIR_VARIABLE
from contacts_servicekit.migrate_command import run_migrations
from contacts_servicekit.migrations import Migration
from contacts_servicekit.process import die_with_parent
from contacts_servicekit.settings import ServiceSettings, SettingsError

S = TypeVar("S", bound=ServiceSettings)
_SETTINGS_CLASS = "CONTACTS_SERVICE_SETTINGS_CLASS"
_BUILD_APP = "CONTACTS_SERVICE_BUILD_APP"
_SUPERVISOR = "CONTACTS_SERVICE_SUPERVISOR_PID"


def run_service(
    settings_class: type[S],
    build_app: Callable[[S], FastAPI],
    migrations: Sequence[Migration] = (),
) -> None:
    """Serve the service until SIGTERM/SIGINT, or with the argument ``migrate`` apply
    `migrations` (all of the service's, in order) and exit; a bad setting exits 2."""
    command = _command(settings_class)
    settings = _load(settings_class)
    configure_logging(settings.service_name, settings.log_level, settings.log_format)
    if command == "migrate":
        raise SystemExit(run_migrations(settings, list(migrations)))
    _bound_heads(settings)
    serving = uvicorn_options(settings)
    if settings.http_workers == 1:
        app = _frozen_after_startup(build_app(settings))
        uvicorn.run(app, **serving)
        return
    # uvicorn kills a worker that has not answered its ping within this many seconds: with
    # its 5 s default, workers spawned on busy cores (load average 7+: importing the service
    # alone took 10 s) were killed before they could answer, again and again, and the
    # service never became ready.
    serving["timeout_worker_healthcheck"] = settings.http_worker_healthcheck_seconds
    os.environ[_SETTINGS_CLASS] = _dotted(settings_class)
    os.environ[_BUILD_APP] = _dotted(build_app)
    os.environ[_SUPERVISOR] = str(os.getpid())
    if os.environ.get(MULTIPROCESS_DIR_VARIABLE):
        _serve_workers(settings.http_workers, serving)
        return
    with tempfile.TemporaryDirectory(prefix=f"{settings.service_name}-metrics-") as metrics_dir:
        os.environ[MULTIPROCESS_DIR_VARIABLE] = metrics_dir  # one /metrics summing all workers
        _serve_workers(settings.http_workers, serving)


def uvicorn_options(settings: ServiceSettings) -> dict[str, Any]:
    """How uvicorn serves the port, whatever the number of workers."""
    return {
        "host": settings.http_host,
        "port": settings.http_port,
        "http": _dotted(BoundedHeadProtocol),  # by name: worker processes import it
        "log_config": None,
        "access_log": False,
        "timeout_graceful_shutdown": 10,
        # An idle connection is closed after this long (uvicorn's own 5 s equals httpx's pool
        # expiry and is shorter than aiohttp's and proxies': a request sent on a pooled
        # connection as the server closes it is reset). See HTTP_KEEP_ALIVE_SECONDS.
        "timeout_keep_alive": settings.http_keep_alive_seconds,
    }


def _command(settings_class: type[ServiceSettings]) -> str:
    """``serve`` (no argument) or ``migrate``, from the command line."""
    name = settings_class.model_fields["service_name"].default
    parser = argparse.ArgumentParser(
        prog=f"{name}-service",
        description="Serve the service (settings from the environment: see its README).",
    )
    parser.add_argument(
        "command",
        nargs="?",
        default="serve",
        choices=["serve", "migrate"],
        help="serve (the default), or migrate: apply the schema's migrations once and exit",
    )
    return str(parser.parse_args().command)


def _serve_workers(workers: int, serving: dict[str, Any]) -> None:
    uvicorn.run(f"{__name__}:worker_app", factory=True, workers=workers, **serving)


def worker_app() -> FastAPI:
    """The app of one worker process (uvicorn calls this in each worker it starts)."""
    die_with_parent(int(os.environ[_SUPERVISOR]))  # no orphan workers holding the port
    settings_class: type[ServiceSettings] = _resolve(os.environ[_SETTINGS_CLASS])
    build_app: Callable[[ServiceSettings], FastAPI] = _resolve(os.environ[_BUILD_APP])
    settings = _load(settings_class)
    configure_logging(settings.service_name, settings.log_level, settings.log_format)
    _bound_heads(settings)
    return _frozen_after_startup(build_app(settings))


def _load(settings_class: type[S]) -> S:
    try:
        return settings_class.load()
    except SettingsError as exc:
        print(f"{settings_class.__name__}: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _bound_heads(settings: ServiceSettings) -> None:
    """431 for request heads over the settings' limits, in this process (head_limit.py)."""
    BoundedHeadProtocol.limits = HeadLimits(
        settings.http_max_header_bytes, settings.http_max_headers
    )


def _dotted(thing: Any) -> str:
    return f"{thing.__module__}:{thing.__qualname__}"


def _resolve(dotted: str) -> Any:
    module, _, name = dotted.partition(":")
    return getattr(importlib.import_module(module), name)


def _frozen_after_startup(app: FastAPI) -> FastAPI:
    """`app`, whose start-up ends by moving everything built so far (modules, the app, the
    pool, the Kafka clients, their models) out of the garbage collector's view.

    Full collections then walk only what requests create, so they stop pausing the event loop
    for tens of milliseconds: frozen before the lifespan's start-up, the objects it made were
    still walked, and full collections took 50-90 ms (the look-up benchmark's worst latencies).
    """
    started = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[Any]:
        async with started(application) as state:
            gc.collect()
            gc.freeze()
            yield state

    app.router.lifespan_context = lifespan
    return app
