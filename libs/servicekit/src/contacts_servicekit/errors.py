"""Errors every service's API reports the same way: `{"error": code, "message": sentence,
"field": name}` with the fitting status code."""

from __future__ import annotations

from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from contacts_servicekit import domain_errors as domain
from contacts_servicekit.auth import Unauthorized, unauthorized_response


class ApiError(Exception):
    status: ClassVar[int] = 400

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class Invalid(ApiError):
    status = 422


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    status = 409


class NotAllowed(ApiError):
    """The caller may see the resource but not change it (e.g. a member, not an admin)."""

    status = 403


class TooManyRequests(ApiError):
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__("rate_limited", message)
        self.retry_after = retry_after


class ErrorView(BaseModel):
    error: str = Field(description="machine-readable code")
    message: str = Field(description="what went wrong, for a person")
    field: str | None = Field(description="the request field at fault, if one is")


DOMAIN_STATUSES: dict[type[domain.DomainError], int] = {
    domain.Refused: 422,
    domain.Missing: 404,
    domain.Conflicting: 409,
    domain.NotPermitted: 403,
    domain.NotAuthenticated: 401,
    domain.LimitReached: 429,
    domain.Unavailable: 503,
}
"""The status of each kind of domain error (the most specific class listed wins)."""


def domain_error_response(error: domain.DomainError) -> JSONResponse:
    status = next(s for kind, s in DOMAIN_STATUSES.items() if isinstance(error, kind))
    headers = {}
    if isinstance(error, domain.LimitReached | domain.Unavailable):
        headers["Retry-After"] = str(error.retry_after)
    body = {"error": error.code, "message": error.message, "field": error.field}
    return JSONResponse(body, status_code=status, headers=headers)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorView} for code in (401, 403, 404, 409, 422)
}


def error_response(error: ApiError) -> JSONResponse:
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyRequests) else {}
    body = {"error": error.code, "message": error.message, "field": error.field}
    return JSONResponse(body, status_code=error.status, headers=headers)


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}


def http_error_response(error: HTTPException) -> JSONResponse:
    """Starlette's and FastAPI's own errors (unknown route, wrong method) in the platform's
    shape. Their 400s all mean a body that could not be read (not UTF-8, broken multipart):
    a 422 on the body, like any other invalid request."""
    if error.status_code == 400:
        unreadable = {"error": "invalid_body", "field": "body",
                      "message": f"The request body could not be read: {error.detail}."}  # fmt: skip
        return JSONResponse(unreadable, status_code=422)
    code = _HTTP_CODES.get(error.status_code, "http_error")
    body = {"error": code, "message": str(error.detail), "field": None}
    return JSONResponse(body, status_code=error.status_code, headers=error.headers)


def install_error_handlers(app: FastAPI) -> None:
    async def api_error(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ApiError)
        return error_response(error)

    async def unauthorized(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, Unauthorized)
        return unauthorized_response(error)

    async def http_error(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, HTTPException)
        return http_error_response(error)

    async def domain_error(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, domain.DomainError)
        return domain_error_response(error)

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(domain.DomainError, domain_error)
    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(Unauthorized, unauthorized)
