"""Prometheus metrics of HTTP requests: one latency histogram by method, route and status.

The route label is the matched route's template (`/v1/contacts/{contact_id}`), never the raw
path, so that ids in URLs cannot multiply the series; methods outside HTTP's standard set are
counted as `other`, and requests that matched no route as `<unmatched>`.
"""

from __future__ import annotations

import time

from prometheus_client import Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_SECONDS = Histogram(
    "http_request_duration_seconds",
    "Time from a request's arrival to the end of its response, by method, route template "
    "and status code.",
    ("method", "route", "status"),
    buckets=(0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

UNMATCHED_ROUTE = "<unmatched>"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"})


def route_label(scope: Scope) -> str:
    """The template of the route that handled the request, or `<unmatched>`."""
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) else UNMATCHED_ROUTE


def method_label(method: str) -> str:
    return method if method in _METHODS else "other"


class RequestMetricsMiddleware:
    """Pure ASGI middleware timing every HTTP request into `http_request_duration_seconds`.

    The labelled child of each (method, route, status) is looked up once and cached, so a
    request costs two clock reads, a dictionary look-up and one histogram observation.
    """

    def __init__(self, app: ASGIApp, histogram: Histogram = REQUEST_SECONDS) -> None:
        self.app = app
        self._histogram = histogram
        self._series: dict[tuple[str, str, int], Histogram] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client sees if the app fails before starting a response

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            key = (method_label(scope["method"]), route_label(scope), status)
            series = self._series.get(key)
            if series is None:
                series = self._histogram.labels(key[0], key[1], str(status))
                self._series[key] = series
            series.observe(time.perf_counter() - started)
