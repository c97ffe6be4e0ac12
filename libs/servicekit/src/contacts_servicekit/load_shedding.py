"""Past capacity, answer 503 at once instead of queueing work nobody will wait for.

Without a bound, an overloaded service keeps accepting requests, each waits longer than the
one before, clients time out and retry, and the service spends its CPU on answers nobody
reads: throughput collapses to a fraction of capacity. :class:`InFlightLimit` bounds the
requests a process works on at once (``HTTP_MAX_IN_FLIGHT``); one more gets ``503
overloaded`` with ``Retry-After: 1`` in microseconds, so the service stays at capacity and
clients (or a load balancer) back off or go elsewhere. The probes and ``/metrics`` are never
refused, so an overloaded process is not taken for a dead one.
"""

from __future__ import annotations

import structlog
from starlette.types import ASGIApp, Receive, Scope, Send

from contacts_servicekit.problem import MEDIA_TYPE, problem_bytes

EXEMPT_PATHS = frozenset({"/health", "/ready", "/metrics"})
_DETAIL = "The service is at capacity; try again in a second."

log = structlog.get_logger(__name__)


class InFlightLimit:
    """Pure ASGI middleware: at most ``limit`` HTTP requests in progress in this process."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.in_flight = 0
        self.refused = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            self.refused += 1
            if self.refused % 1000 == 1:  # a line now and then, not one per refusal
                log.warning("http.overloaded", in_flight=self.in_flight, refused=self.refused)
            await _refuse(scope["path"], send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1


async def _refuse(path: str, send: Send) -> None:
    body = problem_bytes(503, "overloaded", _DETAIL, instance=path)
    headers = [
        (b"content-type", MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", b"1"),
    ]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": body})
