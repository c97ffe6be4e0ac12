"""An error no handler expected is a 500 problem (problem+json), logged with its
traceback: never Starlette's plain-text "Internal Server Error", never a traceback sent out.

:func:`unexpected_errors` sits inside the correlation-id middleware, so the log line and the
response carry the request's correlation id; :func:`internal_error_handler` is installed as
the app's 500 handler for the rare error raised outside it (in the outer middleware), which
Starlette's ServerErrorMiddleware then answers in the same shape (and uvicorn logs).
"""

from __future__ import annotations

import structlog
from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contacts_servicekit.logging import current_correlation_id
from contacts_servicekit.problem import problem_response

log = structlog.get_logger(__name__)


def internal_error_response(instance: str | None) -> JSONResponse:
    correlation_id = current_correlation_id()
    quoted = f" (correlation id {correlation_id})" if correlation_id else ""
    detail = f"Something went wrong on our side{quoted}; it was logged. Try again later."
    return problem_response(500, "internal_error", detail, instance=instance)


async def internal_error_handler(request: Request, __: Exception) -> JSONResponse:
    return internal_error_response(request.url.path)


def unexpected_errors(app: ASGIApp) -> ASGIApp:
    """Pure ASGI middleware (`app.add_middleware(unexpected_errors)`): an exception from `app`
    becomes a logged JSON 500.

    When the response had already started (a streamed body failing half-way), nothing can be
    sent instead: the error is raised on, and the server closes the connection."""

    async def answering_500(scope: Scope, receive: Receive, send: Send) -> None:
        response_started = False

        async def noting_start(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await app(scope, receive, noting_start)
        except Exception:
            if response_started or scope["type"] != "http":
                raise
            log.exception("http.unexpected_error", method=scope["method"], path=scope["path"])
            await internal_error_response(scope["path"])(scope, receive, send)

    return answering_500
