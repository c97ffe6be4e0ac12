"""Errors every service's API reports the same way: RFC 9457 problem details
(:mod:`contacts_servicekit.problem`) with the fitting status code."""

from __future__ import annotations

from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from contacts_servicekit import domain_errors as domain
from contacts_servicekit.auth import Unauthorized, unauthorized_response
from contacts_servicekit.problem import Problem, problem_response
from contacts_servicekit.throttling import throttled_headers


class ApiError(Exception):
    status: ClassVar[int] = 400

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message  # the problem's `detail`
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
    """429 with `Retry-After`, and the RateLimit fields of `policy` when given."""

    status = 429

    def __init__(
        self, message: str, retry_after: int, policy: domain.QuotaPolicy | None = None
    ) -> None:
        super().__init__("rate_limited", message)
        self.retry_after = retry_after
        self.policy = policy


ErrorView = Problem
"""The error model's former name (the importer's routes still say it)."""

DOMAIN_STATUSES: dict[type[domain.DomainError], int] = {
    domain.Refused: 422,
    domain.Missing: 404,
    domain.Conflicting: 409,
    domain.Purged: 410,
    domain.NotPermitted: 403,
    domain.NotAuthenticated: 401,
    domain.LimitReached: 429,
    domain.Unavailable: 503,
}
"""The status of each kind of domain error (the most specific class listed wins)."""


def domain_error_response(error: domain.DomainError, instance: str | None) -> JSONResponse:
    status = next(s for kind, s in DOMAIN_STATUSES.items() if isinstance(error, kind))
    headers = {}
    if isinstance(error, domain.LimitReached):
        headers = throttled_headers(error.retry_after, error.policy)
    elif isinstance(error, domain.Unavailable):
        headers = {"Retry-After": str(error.retry_after)}
    return problem_response(
        status, error.code, error.message, error.field, instance=instance, headers=headers
    )


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem} for code in (401, 403, 404, 409, 422)
}
"""Former blanket declaration (the importer's router still uses it); routes now declare the
statuses they answer with :func:`contacts_servicekit.openapi_conventions.problems`."""


def error_response(error: ApiError, instance: str | None) -> JSONResponse:
    headers = None
    if isinstance(error, TooManyRequests):
        headers = throttled_headers(error.retry_after, error.policy)
    return problem_response(
        error.status, error.code, error.message, error.field, instance=instance, headers=headers
    )


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}


def http_error_response(error: HTTPException, instance: str | None) -> JSONResponse:
    """Starlette's and FastAPI's own errors (unknown route, wrong method) in the platform's
    shape. Their 400s all mean a body that could not be read (not UTF-8, broken multipart):
    a 422 on the body, like any other invalid request."""
    if error.status_code == 400:
        detail = f"The request body could not be read: {error.detail}."
        return problem_response(422, "invalid_body", detail, "body", instance=instance)
    code = _HTTP_CODES.get(error.status_code, "http_error")
    return problem_response(
        error.status_code, code, str(error.detail), instance=instance, headers=error.headers
    )


def install_error_handlers(app: FastAPI) -> None:
    async def api_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ApiError)
        return error_response(error, request.url.path)

    async def unauthorized(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, Unauthorized)
        return unauthorized_response(error, request.url.path)

    async def http_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, HTTPException)
        return http_error_response(error, request.url.path)

    async def domain_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, domain.DomainError)
        return domain_error_response(error, request.url.path)

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(domain.DomainError, domain_error)
    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(Unauthorized, unauthorized)
