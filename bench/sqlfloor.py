"""The SQL floor: the look-up's own database work from one client, one request at a time.

It calls the service's functions (`rate_limiter.take`, `users_repository.public_profile`)
through a pool made the way the service makes it, so the statements, transactions and
round trips are exactly those of a look-up, without HTTP, auth and the framework.
"""

from __future__ import annotations

import random
import time

from contacts_servicekit.db import create_pool
from directory_service.adapters import rate_limiter
from directory_service.adapters import users_repository as users
from directory_service.adapters.rate_limiter import Limit
from measure import Row, summarise
from seeding import connect_id

SUBJECTS = 1_000  # own subjects: the floor never spends the HTTP requesters' tokens


async def sql_floor(
    dsn: str, schema: str, known: list[str], iterations: int, seconds: float, limit: Limit
) -> list[Row]:
    """Up to `iterations` look-ups (and at most `seconds`); one row per step and the sum."""
    rng = random.Random(7)
    take_ms: list[float] = []
    profile_ms: list[float] = []
    both_ms: list[float] = []
    pool = await create_pool(dsn, schema, min_size=1, max_size=1, application_name="bench")
    refused = missing = 0
    try:
        started = time.perf_counter()
        for n in range(iterations):
            if time.perf_counter() - started > seconds:
                break
            t0 = time.perf_counter()
            decision = await rate_limiter.take(pool, limit, f"bench-sql-{n % SUBJECTS}")
            t1 = time.perf_counter()
            async with pool.acquire() as conn:
                profile = await users.public_profile(conn, connect_id.ConnectId(rng.choice(known)))
            t2 = time.perf_counter()
            refused += not decision.allowed
            missing += profile is None
            take_ms.append((t1 - t0) * 1000)
            profile_ms.append((t2 - t1) * 1000)
            both_ms.append((t2 - t0) * 1000)
        elapsed = time.perf_counter() - started
    finally:
        await pool.close()
    if refused or missing:
        raise RuntimeError(f"SQL floor: {refused} refused, {missing} profiles not found")
    done = len(both_ms)
    return [
        summarise("sql floor: rate-limit take", "closed", take_ms, done, elapsed),
        summarise("sql floor: public_profile", "closed", profile_ms, done, elapsed),
        summarise("sql floor: take + public_profile", "closed", both_ms, done, elapsed),
    ]
