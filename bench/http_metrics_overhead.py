"""What `RequestMetricsMiddleware` costs per request, in microseconds (a micro-benchmark).

    flock -x /tmp/contacts-bench.lock uv run python bench/http_metrics_overhead.py [--requests 200000]

Two measurements, each the best of several alternating rounds of N requests driven straight
through the ASGI callables (no sockets, no server), so that only the middleware's own work differs:

- *bare*: the middleware around a minimal ASGI app that answers 200, against the app alone;
- *service stack*: a `create_app` app (correlation ids, logging at WARNING, routing to a
  route with a path parameter) with and without the middleware in its stack.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from contacts_servicekit.http import create_app
from contacts_servicekit.http_metrics import RequestMetricsMiddleware
from contacts_servicekit.logging import configure_logging
from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ROUNDS = 5


async def minimal_app(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


def scope_for(path: str) -> Scope:
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": b"", "headers": [(b"host", b"bench")], "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }  # fmt: skip


async def receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def send(message: Message) -> None:
    return None


async def per_request_us(app: ASGIApp, path: str, requests: int) -> float:
    """Microseconds per request through `app`, over one round of `requests`."""
    started = time.perf_counter()
    for _ in range(requests):
        await app(scope_for(path), receive, send)
    return (time.perf_counter() - started) / requests * 1e6


def service_app(with_metrics: bool) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield

    def is_request_timer(factory: object) -> bool:
        return factory is RequestMetricsMiddleware

    async def ready() -> dict[str, str]:
        return {}

    app = create_app(service="bench", title="bench", description="", version="0",
                     lifespan=lifespan, readiness=ready)  # fmt: skip
    if not with_metrics:
        app.user_middleware = [m for m in app.user_middleware if not is_request_timer(m.cls)]

    @app.get("/v1/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    return app


async def compare(label: str, without: ASGIApp, with_: ASGIApp, path: str, n: int) -> None:
    """Best of ROUNDS each, the two variants alternating so that drift hits both alike."""
    await per_request_us(with_, path, n // 10)  # warm up: caches, first label look-ups
    await per_request_us(without, path, n // 10)
    base = measured = float("inf")
    for _ in range(ROUNDS):
        base = min(base, await per_request_us(without, path, n))
        measured = min(measured, await per_request_us(with_, path, n))
    print(f"{label:14} without {base:7.2f} us   with {measured:7.2f} us   "
          f"overhead {measured - base:5.2f} us/request")  # fmt: skip


async def main(requests: int) -> None:
    configure_logging(
        "bench", "WARNING"
    )  # the correlation middleware's access line is not measured
    bare: Callable[..., Awaitable[Any]] = RequestMetricsMiddleware(minimal_app)
    await compare("bare", minimal_app, bare, "/x", requests)
    await compare("service stack", service_app(False), service_app(True), "/v1/things/42",
                  requests // 10)  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200_000)
    asyncio.run(main(parser.parse_args().requests))
