"""How many numbers a user may match against the registered users: a token bucket in rows,
kept in Postgres so that it holds however many importer instances run.

Matching is an oracle ("which of these numbers are users?"), so every import that will get
statuses spends its rows first. The owner's bucket row is created if missing and then locked
for the rest of the transaction, so two instances never both spend the same rows; a refused
import spends nothing (its transaction rolls back).
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass

import asyncpg
from contacts_servicekit.domain_errors import LimitReached, QuotaPolicy

_CREATE = """
INSERT INTO match_quota (owner_id, rows_left, updated_at) VALUES ($1, $2, clock_timestamp())
ON CONFLICT (owner_id) DO NOTHING
"""
_SPEND = """
WITH current AS (
    SELECT least($2::float8, rows_left
                 + extract(epoch FROM clock_timestamp() - updated_at) * $3::float8) AS available
    FROM match_quota WHERE owner_id = $1 FOR UPDATE
)
UPDATE match_quota SET updated_at = clock_timestamp(),
       rows_left = CASE WHEN current.available >= $4 THEN current.available - $4
                        ELSE current.available END
FROM current WHERE owner_id = $1
RETURNING current.available
"""

_AVAILABLE = """
SELECT least($2::float8, rows_left + extract(epoch FROM clock_timestamp() - updated_at) * $3::float8)
FROM match_quota WHERE owner_id = $1
"""


@dataclass(frozen=True)
class MatchQuota:
    """`burst` rows at once, then `per_hour` more each hour."""

    burst: int
    per_hour: float

    async def spend(self, conn: asyncpg.Connection, owner_id: uuid.UUID, rows: int) -> None:
        """Take `rows` from the owner's bucket, or 429 with when they will be there."""
        await conn.execute(_CREATE, owner_id, float(self.burst))
        available = await conn.fetchval(_SPEND, owner_id, float(self.burst), self._per_second, rows)
        if available < rows:
            raise self._refusal(rows, available)

    async def check(self, conn: asyncpg.Connection, owner_id: uuid.UUID, rows: int) -> None:
        """429 now, as `spend` would, when the owner's bucket does not hold `rows` (an upload
        that will start by itself is refused at once, not once its rows are read); nothing is
        taken."""
        available = await conn.fetchval(_AVAILABLE, owner_id, float(self.burst), self._per_second)
        if rows > self.burst or (available is not None and available < rows):
            raise self._refusal(rows, self.burst if available is None else available)

    @property
    def _per_second(self) -> float:
        return self.per_hour / 3600

    @property
    def policy(self) -> QuotaPolicy:
        """The bucket as RateLimit-Policy says it: its size, and the seconds it takes to fill."""
        return QuotaPolicy("phone_matching", self.burst, math.ceil(self.burst / self._per_second))

    def _refusal(self, rows: int, available: float) -> LimitReached:
        if rows > self.burst:
            return LimitReached(
                "rate_limited",
                f"This import has {rows:,} numbers; at most {self.burst:,} can be matched at "
                "once. Split the list; nothing was imported.",
                math.ceil((self.burst - available) / self._per_second),
                policy=self.policy,
            )
        wait = max(1, math.ceil((rows - available) / self._per_second))
        return LimitReached(
            "rate_limited",
            f"You have matched too many numbers recently; these {rows:,} can be matched in "
            f"{wait} s. Nothing was imported.",
            wait,
            policy=self.policy,
        )
