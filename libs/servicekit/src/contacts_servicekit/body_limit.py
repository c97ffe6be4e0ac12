"""A bound on request bodies, so no client can make a service read (or spool) without end.

A declared `Content-Length` over the limit is answered 413 before a byte of the body is read;
a chunked body is counted as it arrives and refused as soon as it passes the limit. Uploads
(`multipart/form-data`) have a bound of their own, since a service that takes files (the
importer) allows far larger ones than a JSON body ever needs. The refusal is problem details
unless the app says otherwise (`answer`: the web app answers a person with a page).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contacts_servicekit.problem import problem_response

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
TooLargeAnswer = Callable[[int, Request], Response]
"""The answer to a body over `limit` bytes, given the request it came with."""


class BodyTooLarge(HTTPException):
    """Raised while the body is read; an HTTPException, so FastAPI lets it through unchanged."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413)
        self.limit = limit


def body_too_large_response(limit: int, instance: str) -> JSONResponse:
    detail = f"The request body is larger than the {limit:,} bytes this endpoint accepts."
    return problem_response(413, "body_too_large", detail, "body", instance=instance)


def body_too_large_problem(limit: int, request: Request) -> Response:
    """The default answer: 413 problem details `body_too_large` naming the body."""
    return body_too_large_response(limit, request.url.path)


def body_too_large_handler(
    answer: TooLargeAnswer,
) -> Callable[[Request, Exception], Awaitable[Response]]:
    """The exception handler of a body found too large while it was read (chunked)."""

    async def handle(request: Request, error: Exception) -> Response:
        assert isinstance(error, BodyTooLarge)
        return answer(error.limit, request)

    return handle


class BodySizeLimitMiddleware:
    """Pure ASGI middleware: at most `max_bytes` of body, `max_upload_bytes` for multipart."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, max_upload_bytes: int | None = None,
        answer: TooLargeAnswer = body_too_large_problem,
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
            await self.answer(limit, Request(scope))(scope, receive, send)
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
