"""The HTTP scaffolding every service shares: correlation ids, request metrics, errors as
problem details (unexpected ones included), refusal of unstorable text, `/health`, `/ready`,
`/metrics`, an OpenAPI document that follows the API conventions (operationIds, documented
statuses) and `/docs` served offline."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager

import structlog
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.telemetry import TelemetryConfig

from contacts_servicekit.body_limit import (
    DEFAULT_MAX_BODY_BYTES,
    BodySizeLimitMiddleware,
    BodyTooLarge,
    body_too_large_handler,
)
from contacts_servicekit.docs_page import install_docs
from contacts_servicekit.errors import install_error_handlers
from contacts_servicekit.http_metrics import RequestMetricsMiddleware
from contacts_servicekit.load_shedding import InFlightLimit
from contacts_servicekit.logging import CorrelationIdMiddleware
from contacts_servicekit.metrics_exposition import exposition
from contacts_servicekit.openapi_conventions import ConventionalApp, operation_id
from contacts_servicekit.problem import ProblemResponse, problem
from contacts_servicekit.readiness import readiness_status
from contacts_servicekit.storable_text import refuse_unstorable_text
from contacts_servicekit.unexpected_errors import internal_error_handler, unexpected_errors

Readiness = Callable[[], Awaitable[dict[str, str]]]
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]
MetricsRefresh = Callable[[], Awaitable[None]]
"""Brings gauges up to date just before a scrape (outbox backlog, consumer lag)."""

METRICS_REFRESH_TIMEOUT = 2.0  # seconds; a slow refresh leaves the previous values

log = structlog.get_logger(__name__)

# The platform's metrics are Prometheus' (/metrics); FastAPI's OpenTelemetry hooks would only
# check on every request whether a provider was configured.
_NO_OPENTELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


def create_app(
    *,
    service: str,
    title: str,
    description: str,
    version: str,
    lifespan: Lifespan,
    readiness: Readiness,
    metrics_refresh: MetricsRefresh | None = None,
    max_in_flight: int | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    max_upload_bytes: int | None = None,
    body_too_large: Callable[[Request, Exception], Awaitable[Response]] = body_too_large_handler,
) -> FastAPI:
    """A FastAPI app with the platform's middleware and probes; services add their routers.

    Request bodies are bounded: `max_body_bytes`, or `max_upload_bytes` for multipart uploads
    (413 `body_too_large` above, answered by `body_too_large`). With `max_in_flight`, requests beyond that many in progress
    get 503 (load_shedding.py). Every route, the services' included, refuses text Postgres
    cannot store (storable_text.py), and an unexpected error is a logged JSON 500."""
    app = ConventionalApp(
        title=title, description=description, version=version, lifespan=lifespan,
        telemetry=_NO_OPENTELEMETRY, dependencies=[Depends(refuse_unstorable_text)],
        generate_unique_id_function=operation_id, docs_url=None, redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )  # fmt: skip
    install_docs(app)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=max_body_bytes,
                       max_upload_bytes=max_upload_bytes, answer=body_too_large)  # fmt: skip
    if max_in_flight is not None:
        app.add_middleware(InFlightLimit, limit=max_in_flight)  # inside: shed ones are logged
    app.add_middleware(unexpected_errors)  # inside the correlation id, which it logs and returns
    app.add_middleware(CorrelationIdMiddleware)
    app.add_middleware(RequestMetricsMiddleware)  # outermost: times what the client waits for
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(BodyTooLarge, body_too_large)
    app.add_exception_handler(500, internal_error_handler)  # errors outside UnexpectedErrors
    install_error_handlers(app)

    @app.get("/health", tags=["probes"], summary="Liveness: the process serves requests")
    async def health() -> dict[str, str]:
        return {"status": "ok", "service": service}

    @app.get(
        "/ready",
        tags=["probes"],
        summary="Readiness: the instance can take requests (Postgres answers, its work runs)",
        description="200 `ready` when every check is `ok`; 200 `degraded` when a check is "
        "`degraded` (Kafka lost after start: writes wait in the outbox); 503 `unavailable` "
        "otherwise.",
        responses={503: {"description": "a dependency is unavailable"}},
    )
    async def ready() -> JSONResponse:
        checks = await readiness()
        status = readiness_status(checks)
        body = {"status": status, "service": service, "checks": checks}
        return JSONResponse(body, status_code=503 if status == "unavailable" else 200)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        """Prometheus text exposition; no token, like the probes (expose it to scrapers only)."""
        if metrics_refresh is not None:
            try:
                await asyncio.wait_for(metrics_refresh(), METRICS_REFRESH_TIMEOUT)
            except Exception as exc:
                log.warning("metrics.refresh_failed", error=repr(exc))
        body, content_type = exposition()
        return Response(body, media_type=content_type)

    return app


async def _invalid_request(request: Request, error: Exception) -> JSONResponse:
    """422 problem details naming each field at fault and why (`problems`), the first one
    in `field` and `detail`."""
    assert isinstance(error, RequestValidationError)
    problems = [
        {
            "field": ".".join(
                str(part) for part in e["loc"] if part not in ("body", "query", "path", "header")
            )
            or None,
            "detail": str(e["msg"]).removeprefix("Value error, "),
            "error": e["type"],
        }
        for e in error.errors()
    ]
    first = problems[0] if problems else {"field": None, "detail": "invalid request"}
    detail = str(first["detail"])
    detail = f"{first['field']}: {detail}" if first["field"] else detail
    body = problem(422, "invalid_request", detail, first["field"], request.url.path,
                   problems=problems)  # fmt: skip
    return ProblemResponse(body, status_code=422)
