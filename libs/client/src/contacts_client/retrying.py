"""When a failed request is sent again, and after how long (tenacity does the looping).

- A request that never left (no connection) is sent again, whatever it is.
- A request that is safe to repeat (GET, PUT, DELETE, a POST marked idempotent, or a creating
  POST, which carries an ``Idempotency-Key`` the service deduplicates on) is also sent again
  after a lost answer (timeout, broken connection), a 429 or a 503.
- The wait is the answer's ``Retry-After`` when it gave one, else exponential back-off with
  jitter. A ``Retry-After`` longer than ``max_retry_after`` is not waited for: the
  :class:`~contacts_client.errors.ApiError` is raised at once, carrying ``retry_after``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import (
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from contacts_client.call import Call
from contacts_client.errors import ApiError

RETRIED_STATUSES = frozenset({429, 503})
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

OnRetry = Callable[[int, float, BaseException], None]
"""Told of each retry: the attempt that failed (1, 2, ...), the seconds waited, the error."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # in all, the first included
    max_retry_after: float = 30.0  # seconds; a longer Retry-After is raised, not waited for
    backoff_first: float = 0.5  # seconds, doubling, with up to as much again of jitter
    backoff_max: float = 8.0
    on_retry: OnRetry | None = None

    def arguments(self, call: Call[Any]) -> dict[str, Any]:
        """Keyword arguments of ``tenacity.Retrying`` / ``AsyncRetrying`` for ``call``."""
        return {
            "stop": stop_after_attempt(self.attempts),
            "retry": retry_if_exception(lambda error: self.worth_retrying(call, error)),
            "wait": self._wait,
            "before_sleep": self._notify,
            "reraise": True,
        }

    def worth_retrying(self, call: Call[Any], error: BaseException) -> bool:
        if isinstance(error, NOT_SENT):
            return True
        if not call.retryable:
            return False
        if isinstance(error, httpx.TransportError):
            return True
        if isinstance(error, ApiError) and error.status in RETRIED_STATUSES:
            return error.retry_after is None or error.retry_after <= self.max_retry_after
        return False

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, ApiError) and error.retry_after is not None:
            return error.retry_after
        backoff = wait_exponential_jitter(
            multiplier=self.backoff_first, max=self.backoff_max, jitter=self.backoff_first
        )
        return float(backoff(state))

    def _notify(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        if self.on_retry is not None and error is not None and state.next_action is not None:
            self.on_retry(state.attempt_number, state.next_action.sleep, error)
