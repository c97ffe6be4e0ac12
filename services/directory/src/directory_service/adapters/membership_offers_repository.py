"""Membership offers in Postgres.

Expiry needs no timer: a pending offer past `expires_at` reads as expired (Postgres' clock, the
same for every instance), and is marked so when its company offers the user membership again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

import asyncpg

from directory_service.domain.membership_offer import MembershipOffer, OfferStatus

_SELECT = """
SELECT o.offer_id, o.company_id, c.name AS company_name, o.user_id, o.role,
       admin.display_name AS offered_by_name,
       CASE WHEN o.status = 'pending' AND o.expires_at <= now() THEN 'expired'
            ELSE o.status END AS status,
       o.offered_at, o.expires_at
FROM membership_offers o
JOIN companies c ON c.company_id = o.company_id
JOIN users admin ON admin.user_id = o.offered_by
"""
_PENDING = "o.status = 'pending' AND o.expires_at > now()"


async def offer(
    conn: asyncpg.Connection, offer_id: UUID, company_id: UUID, user_id: UUID, role: str,
    offered_by: UUID, lifetime: timedelta,
) -> tuple[MembershipOffer, bool]:  # fmt: skip
    """The company's pending offer to the user: a new one with `offer_id` (True), or the one
    already pending (False). A concurrent twin waits on the unique index, then finds ours."""
    await conn.execute(
        "UPDATE membership_offers SET status = 'expired', answered_at = expires_at"
        " WHERE company_id = $1 AND user_id = $2 AND status = 'pending' AND expires_at <= now()",
        company_id,
        user_id,
    )
    created = await conn.fetchval(
        "INSERT INTO membership_offers"
        " (offer_id, company_id, user_id, role, offered_by, expires_at)"
        " VALUES ($1, $2, $3, $4, $5, now() + $6)"
        " ON CONFLICT (company_id, user_id) WHERE status = 'pending' DO NOTHING RETURNING true",
        offer_id, company_id, user_id, role, offered_by, lifetime,
    )  # fmt: skip
    row = await conn.fetchrow(
        f"{_SELECT} WHERE o.company_id = $1 AND o.user_id = $2 AND {_PENDING}", company_id, user_id
    )
    return _offer(row), bool(created)


async def pending_for(
    conn: asyncpg.Connection, user_id: UUID, after: tuple[datetime, UUID] | None, limit: int
) -> list[MembershipOffer]:
    """At most `limit` of the user's pending offers, oldest first, those after `after` (when
    the last one of the previous page was offered, and its id)."""
    offered_at, offer_id = after or (None, None)
    rows = await conn.fetch(
        f"{_SELECT} WHERE o.user_id = $1 AND {_PENDING}"
        " AND ($2::timestamptz IS NULL OR (o.offered_at, o.offer_id) > ($2, $3::uuid))"
        " ORDER BY o.offered_at, o.offer_id LIMIT $4",
        user_id, offered_at, offer_id, limit,
    )  # fmt: skip
    return [_offer(row) for row in rows]


async def users_offer(
    conn: asyncpg.Connection, offer_id: UUID, user_id: UUID
) -> MembershipOffer | None:
    """The offer if it is addressed to the user, locked until the transaction ends."""
    row = await conn.fetchrow(
        f"{_SELECT} WHERE o.offer_id = $1 AND o.user_id = $2 FOR UPDATE OF o", offer_id, user_id
    )
    return _offer(row) if row else None


async def companys_offer(
    conn: asyncpg.Connection, offer_id: UUID, company_id: UUID
) -> MembershipOffer | None:
    """The offer if the company made it, locked until the transaction ends."""
    row = await conn.fetchrow(
        f"{_SELECT} WHERE o.offer_id = $1 AND o.company_id = $2 FOR UPDATE OF o",
        offer_id,
        company_id,
    )
    return _offer(row) if row else None


async def close(conn: asyncpg.Connection, offer_id: UUID, status: OfferStatus) -> None:
    await conn.execute(
        "UPDATE membership_offers SET status = $2, answered_at = now() WHERE offer_id = $1",
        offer_id,
        status.value,
    )


def _offer(row: asyncpg.Record) -> MembershipOffer:
    return MembershipOffer(**{**dict(row), "status": OfferStatus(row["status"])})
