"""Directory errors as HTTP responses: `{"error": code, "message": sentence, "field": name}`."""

from __future__ import annotations

from contacts_messaging.idempotency import IdempotencyKeyReused
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from directory_service.domain.connect_id import InvalidConnectId
from directory_service.domain.errors import DirectoryError, TooManyRequests


def error_body(code: str, message: str, field: str | None = None) -> dict[str, str | None]:
    return {"error": code, "message": message, "field": field}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DirectoryError)
    async def directory_error(_: Request, error: DirectoryError) -> JSONResponse:
        headers = {}
        if isinstance(error, TooManyRequests):
            headers["Retry-After"] = str(error.retry_after)
        body = error_body(error.code, error.message, error.field)
        return JSONResponse(body, status_code=error.status, headers=headers)

    @app.exception_handler(InvalidConnectId)
    async def invalid_connect_id(_: Request, error: InvalidConnectId) -> JSONResponse:
        return JSONResponse(error_body(error.code, error.reason, "connect_id"), status_code=422)

    @app.exception_handler(IdempotencyKeyReused)
    async def key_reused(_: Request, error: IdempotencyKeyReused) -> JSONResponse:
        body = error_body("idempotency_key_reused", str(error), "Idempotency-Key")
        return JSONResponse(body, status_code=422)
