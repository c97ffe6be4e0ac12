"""What can go wrong in the directory, as the API reports it: a code, a sentence, a field."""

from __future__ import annotations

from typing import ClassVar


class DirectoryError(Exception):
    status: ClassVar[int] = 400

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class Invalid(DirectoryError):
    status = 422


class NotFound(DirectoryError):
    status = 404


class Conflict(DirectoryError):
    status = 409


class NotAllowed(DirectoryError):
    """The caller may see the resource but not change it (e.g. a member, not an admin)."""

    status = 403


class TooManyRequests(DirectoryError):
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__("rate_limited", message)
        self.retry_after = retry_after
