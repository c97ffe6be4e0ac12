"""Errors of the domain, free of HTTP: what went wrong, for whom, and on which field.

Use cases raise these; the web edge (:mod:`contacts_servicekit.errors`) maps each kind to its
status code in one table and answers RFC 9457 problem details (``detail`` is the message).
Domain code imports this module only, never a web framework.
"""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    """``code``: snake_case, stable; ``message``: one sentence for a person; ``field``: the
    input at fault, if one is."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


class Refused(DomainError):
    """The input breaks a rule (a malformed phone number, a wrong code)."""


class Missing(DomainError):
    """Nothing the caller may see has this id (another user's is missing too)."""


class Conflicting(DomainError):
    """The request contradicts the current state (a number another user holds)."""


class Purged(DomainError):
    """The thing was there and is no longer kept (a retention passed): asking again will not
    bring it back, unlike something Missing, which may be a typo."""


class NotPermitted(DomainError):
    """The caller may see the thing but not do this to it."""


class NotAuthenticated(DomainError):
    """The credential presented (a code, a refresh token) does not stand for anyone."""


@dataclass(frozen=True)
class QuotaPolicy:
    """A limit as a client can plan with it: ``quota`` requests every ``window`` seconds
    (a token bucket: its size, and the time it takes to fill up again). ``name`` says which
    limit it is (`connect_id_lookup`, `inviter_daily_cap`)."""

    name: str
    quota: int
    window: int


class LimitReached(DomainError):
    """Too many attempts; ``retry_after`` seconds until the next one may succeed. ``policy``:
    the limit reached, for the client (the RateLimit-Policy header)."""

    def __init__(
        self, code: str, message: str, retry_after: int, field: str | None = None,
        policy: QuotaPolicy | None = None,
    ):  # fmt: skip
        super().__init__(code, message, field)
        self.retry_after = retry_after
        self.policy = policy


class Unavailable(DomainError):
    """A dependency (an SMS provider) failed for now; try again after ``retry_after`` s."""

    def __init__(self, code: str, message: str, retry_after: int, field: str | None = None):
        super().__init__(code, message, field)
        self.retry_after = retry_after
