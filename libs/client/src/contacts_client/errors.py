"""The one exception every refused request raises: :class:`ApiError`, carrying the answer's
RFC 9457 problem details (``type``, ``title``, ``status``, ``detail``, ``instance``) and the
platform's members ``error`` (a stable code to branch on) and ``field`` (the input at fault).

Subclasses by status let a caller catch one kind (``except NotFound``); all are ``ApiError``.
"""

from __future__ import annotations

import email.utils
import time
from typing import Any, ClassVar

import httpx

_SUBCLASS_BY_STATUS: dict[int, type[ApiError]] = {}


class ApiError(Exception):
    """A service refused the request: ``status``, ``error`` code, ``detail`` sentence, ``field``."""

    status_code: ClassVar[int | None] = None  # the status a subclass stands for

    def __init__(
        self, status: int, problem: dict[str, Any], headers: httpx.Headers | None = None
    ) -> None:
        self.status = status
        self.problem = problem
        self.headers = headers or httpx.Headers()
        self.error: str = str(problem.get("error") or "http_error")
        self.type: str = str(problem.get("type") or "about:blank")
        self.title: str = str(problem.get("title") or httpx.codes.get_reason_phrase(status))
        # `message` is the platform's shape before RFC 9457 (read while services move over)
        self.detail: str = str(problem.get("detail") or problem.get("message") or self.title)
        self.field: str | None = problem.get("field")
        self.instance: str | None = problem.get("instance")
        self.problems: list[dict[str, Any]] = list(problem.get("problems") or [])  # per field
        self.retry_after: float | None = retry_after_seconds(self.headers.get("Retry-After"))
        super().__init__(str(self))

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.status_code is not None:
            _SUBCLASS_BY_STATUS[cls.status_code] = cls

    def __str__(self) -> str:
        field = f" (field {self.field})" if self.field else ""
        return f"{self.status} {self.error}{field}: {self.detail}"

    @classmethod
    def from_response(cls, response: httpx.Response) -> ApiError:
        """The error an answer of status 400 or more stands for (its body must have been read)."""
        kind = _SUBCLASS_BY_STATUS.get(response.status_code)
        if kind is None:
            kind = ServerError if response.status_code >= 500 else ApiError
        return kind(response.status_code, problem_of(response), response.headers)


class Unauthorized(ApiError):
    """401: no token, a refused token (``invalid_token``), or a closed account."""

    status_code = 401


class Forbidden(ApiError):
    status_code = 403


class NotFound(ApiError):
    status_code = 404


class Conflict(ApiError):
    status_code = 409


class Gone(ApiError):
    """410: it was there and is no longer kept (a retention passed, e.g. a finished import's
    rows: ``import_rows_purged``); asking again will not bring it back."""

    status_code = 410


class TooLarge(ApiError):
    status_code = 413


class Invalid(ApiError):
    """422: the request named a bad input; ``field`` says which, ``detail`` why."""

    status_code = 422


class RateLimited(ApiError):
    """429: over a limit; ``retry_after`` says when to try again."""

    status_code = 429


class ServerError(ApiError):
    """5xx: the service failed or is overloaded (503 carries ``retry_after``)."""


class Unavailable(ServerError):
    status_code = 503


def problem_of(response: httpx.Response) -> dict[str, Any]:
    """The problem details of an error answer; a body that is not a JSON object (a proxy's
    HTML page) becomes the ``detail``, cut short."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        return body
    return {"detail": response.text[:500] or None}


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds from now: delay-seconds or an HTTP date (RFC 9110 10.2.3)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
