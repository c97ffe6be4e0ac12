"""The ConnectID look-up as one statement: take a rate-limit token and read the public profile.

One statement means one round trip and no explicit transaction (it commits on its own), which
is what keeps a look-up cheap. The profile is read whether or not a token was left; the caller
must not show it when the decision says no.
"""

from __future__ import annotations

import asyncpg
from contacts_events import connect_id as cid

from directory_service.adapters.rate_limiter import BUCKET, arguments
from directory_service.domain.model import PublicProfile
from directory_service.domain.rate_limits import Decision, Limit

_LOOK_UP = f"""
WITH {BUCKET}, profile AS (
    SELECT c.connect_id, c.kind = 'contact_point' AS is_contact_point,
           coalesce(u.display_name, p.display_name) AS display_name,
           co.name AS company_name
    FROM connect_ids c
    LEFT JOIN users u ON c.kind = 'user' AND u.user_id = c.owner_id AND u.status = 'active'
    LEFT JOIN memberships m ON m.user_id = u.user_id
    LEFT JOIN contact_points p ON c.kind = 'contact_point'
           AND p.contact_point_id = c.owner_id AND p.removed_at IS NULL
    LEFT JOIN companies co ON co.company_id = coalesce(m.company_id, p.company_id)
    WHERE c.connect_id = $5 AND (u.user_id IS NOT NULL OR p.contact_point_id IS NOT NULL)
)
SELECT bucket.available, (SELECT counted FROM spend) AS counted, profile.*
FROM bucket LEFT JOIN profile ON true
"""


async def look_up(
    pool: asyncpg.Pool, limit: Limit, subject: str, connect_id: cid.ConnectId
) -> tuple[Decision, PublicProfile | None]:
    """Whether `subject` may look up now and, if anyone has `connect_id`, their profile."""
    async with pool.acquire() as conn:
        row = await conn.fetchrow(_LOOK_UP, *arguments(limit, subject), connect_id)
        if row is not None and row["counted"] is None:  # lost the race to create the bucket
            row = await conn.fetchrow(_LOOK_UP, *arguments(limit, subject), connect_id)
    assert row is not None  # the bucket always yields its one row
    decision = Decision.of(row["available"], limit)
    if row["connect_id"] is None:
        return decision, None
    profile = PublicProfile(
        connect_id=row["connect_id"], display_name=row["display_name"],
        company_name=row["company_name"], is_contact_point=row["is_contact_point"],
    )  # fmt: skip
    return decision, profile
