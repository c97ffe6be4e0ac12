"""The HTTP scaffolding every service shares: correlation ids, `/health` and `/ready`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from contacts_servicekit.logging import CorrelationIdMiddleware

Readiness = Callable[[], Awaitable[dict[str, str]]]
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_app(
    *,
    service: str,
    title: str,
    description: str,
    version: str,
    lifespan: Lifespan,
    readiness: Readiness,
) -> FastAPI:
    """A FastAPI app with the platform's middleware and probes; services add their routers."""
    app = FastAPI(title=title, description=description, version=version, lifespan=lifespan)
    app.add_middleware(CorrelationIdMiddleware)
    app.add_exception_handler(RequestValidationError, _invalid_request)

    @app.get("/health", tags=["probes"], summary="Liveness: the process serves requests")
    async def health() -> dict[str, str]:
        return {"status": "ok", "service": service}

    @app.get(
        "/ready",
        tags=["probes"],
        summary="Readiness: Postgres and Kafka answer",
        responses={503: {"description": "a dependency is unavailable"}},
    )
    async def ready() -> JSONResponse:
        checks = await readiness()
        ok = all(value == "ok" for value in checks.values())
        body = {"status": "ready" if ok else "unavailable", "service": service, "checks": checks}
        return JSONResponse(body, status_code=200 if ok else 503)

    return app


async def _invalid_request(_: Request, error: Exception) -> JSONResponse:
    """422 in the platform's error shape, naming each field at fault and why."""
    assert isinstance(error, RequestValidationError)
    problems = [
        {
            "field": ".".join(
                str(part) for part in e["loc"] if part not in ("body", "query", "path", "header")
            ),
            "message": str(e["msg"]).removeprefix("Value error, "),
            "type": e["type"],
        }
        for e in error.errors()
    ]
    first = problems[0] if problems else {"field": None, "message": "invalid request"}
    body = {
        "error": "invalid_request",
        "message": f"{first['field']}: {first['message']}" if first["field"] else first["message"],
        "field": first["field"] or None,
        "problems": problems,
    }
    return JSONResponse(body, status_code=422)
