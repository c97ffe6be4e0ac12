"""A subject's first two look-ups at once both find no bucket: both tokens are still spent."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest
from contacts_events.connect_id import generate
from directory_service.adapters import lookups, rate_limiter
from directory_service.domain.rate_limits import Limit

pytestmark = pytest.mark.integration


async def test_two_first_look_ups_at_once_spend_two_tokens(
    directory, directory_schema, postgres_admin_url
):
    limit, subject, wanted = Limit("race_probe", 5, 0.001), str(uuid.uuid4()), generate()
    name = f"race-{uuid.uuid4().hex[:8]}"
    settings = {"search_path": directory_schema}
    first = await asyncpg.connect(postgres_admin_url, server_settings=settings)
    pool = await asyncpg.create_pool(postgres_admin_url, min_size=1, max_size=1,
                                     server_settings={**settings, "application_name": name})  # fmt: skip
    try:
        async with first.transaction():  # the first look-up creates the bucket, not yet committed
            await first.fetchrow(lookups._LOOK_UP, *rate_limiter.arguments(limit, subject), wanted)
            second = asyncio.create_task(lookups.look_up(pool, limit, subject, wanted))
            waiting = "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'"
            for _ in range(300):  # the second one waits on the first's new row
                if await first.fetchval(waiting, name):
                    break
                await asyncio.sleep(0.01)
            else:
                raise AssertionError("the second look-up never waited for the first")
        decision, _ = await second
        assert decision.allowed
        left = await first.fetchval("SELECT tokens FROM rate_limits WHERE subject = $1", subject)
        assert 2.9 < left < 3.1  # 5 - 2: the second did not overwrite the first's spending
    finally:
        await pool.close()
        await first.close()
