"""Rate limits as the use cases name them: a token bucket's size and refill (`Limit`), and
what taking a token decided (`Decision`). Where the buckets live is the adapters'
(adapters/rate_limiter.py: Postgres, so a limit holds across instances)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from contacts_servicekit.domain_errors import QuotaPolicy


@dataclass(frozen=True)
class Limit:
    """`burst` requests at once, then `per_minute` more each minute."""

    action: str
    burst: int
    per_minute: float

    @property
    def per_second(self) -> float:
        return self.per_minute / 60

    @property
    def policy(self) -> QuotaPolicy:
        """The limit as the RateLimit-Policy header states it: `burst` requests in the time
        an empty bucket takes to fill again."""
        return QuotaPolicy(self.action, self.burst, math.ceil(self.burst / self.per_second))


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after_seconds: int  # 0 when allowed

    @classmethod
    def of(cls, available: float, limit: Limit) -> Decision:
        """Allowed when a whole token was available; else when the next one will be."""
        if available >= 1:
            return cls(True, 0)
        return cls(False, max(1, math.ceil((1 - available) / limit.per_second)))
