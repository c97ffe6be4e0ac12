"""A bound on request bodies, so no client can make a service read (or spool) without end.

A declared `Content-Length` over the limit is answered 413 before a byte of the body is read;
a chunked body is counted as it arrives and refused as soon as it passes the limit. Uploads
(`multipart/form-data`) have a bound of their own, since a service that takes files (the
importer) allows far larger ones than a JSON body ever needs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contacts_servicekit.problem import problem_response

DEFAULT_MAX_BODY_BYTES = 1024 * 1024


class BodyTooLarge(HTTPException):
    """Raised while the body is read; an HTTPException, so FastAPI lets it through unchanged."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413)
        self.limit = limit


def body_too_large_response(limit: int, instance: str) -> JSONResponse:
    detail = f"The request body is larger than the {limit:,} bytes this endpoint accepts."
    return problem_response(413, "body_too_large", detail, "body", instance=instance)


async def body_too_large_handler(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, BodyTooLarge)
    return body_too_large_response(error.limit, request.url.path)


async def _problem_answer(request: Request, error: Exception) -> Response:
    return await body_too_large_handler(request, error)


class BodySizeLimitMiddleware:
    """Pure ASGI middleware: at most `max_bytes` of body, `max_upload_bytes` for multipart.

    A body declared too large (`Content-Length`) is answered at once by `answer` (default: the
    problem details; the web app answers with a page), one found too large while it is read
    raises :class:`BodyTooLarge` for the app's exception handler."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, max_upload_bytes: int | None = None,
        answer: Callable[[Request, Exception], Awaitable[Response]] = _problem_answer,
    ) -> None:  # fmt: skip
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes or max_bytes
        self.answer = answer

    def limit_for(self, scope: Scope) -> int:
        for name, value in scope.get("headers", ()):
            if name == b"content-type" and value.lower().startswith(b"multipart/form-data"):
                return self.max_upload_bytes
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            response = await self.answer(Request(scope), BodyTooLarge(limit))
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
