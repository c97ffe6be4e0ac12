"""The SQL floor: the look-up's own database work from one client, one request at a time.

It calls the service's own function (`lookups.look_up`: one statement that takes a
rate-limit token and reads the public profile) through a pool made the way the service makes
it, so the statement and its round trip are exactly those of a look-up, without HTTP, auth and
the framework.
"""

from __future__ import annotations

import random
import time

from contacts_events import connect_id
from contacts_servicekit.db import create_pool
from directory_service.adapters import lookups
from directory_service.domain.rate_limits import Limit
from measure import Row, summarise

SUBJECTS = 1_000  # own subjects: the floor never spends the HTTP requesters' tokens


async def sql_floor(
    dsn: str, schema: str, known: list[str], iterations: int, seconds: float, limit: Limit
) -> list[Row]:
    """Up to `iterations` look-ups (and at most `seconds`), one at a time."""
    rng = random.Random(7)
    lookup_ms: list[float] = []
    pool = await create_pool(dsn, schema, min_size=1, max_size=1, application_name="bench")
    refused = missing = 0
    try:
        started = time.perf_counter()
        for n in range(iterations):
            if time.perf_counter() - started > seconds:
                break
            wanted = connect_id.ConnectId(rng.choice(known))
            t0 = time.perf_counter()
            decision, profile = await lookups.look_up(
                pool, limit, f"bench-sql-{n % SUBJECTS}", wanted
            )
            lookup_ms.append((time.perf_counter() - t0) * 1000)
            refused += not decision.allowed
            missing += profile is None
        elapsed = time.perf_counter() - started
    finally:
        await pool.close()
    if refused or missing:
        raise RuntimeError(f"SQL floor: {refused} refused, {missing} profiles not found")
    return [summarise("sql floor: look_up", "closed", lookup_ms, len(lookup_ms), elapsed)]
