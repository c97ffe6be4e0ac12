"""Look up a ConnectID: spend one of the caller's look-ups, find the public profile, and grant
the caller the right to add it at the contacts service (the look-up paid for it)."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
from contacts_events.connect_id import ConnectId
from contacts_servicekit.domain_errors import LimitReached, Missing

from directory_service.adapters import lookups
from directory_service.adapters.token_issuer import TokenIssuer
from directory_service.domain.model import PublicProfile
from directory_service.domain.rate_limits import Limit


@dataclass(frozen=True)
class Found:
    profile: PublicProfile
    add_token: str  # the add-contact grant for this caller and ConnectID


async def look_up(
    pool: asyncpg.Pool, limit: Limit, issuer: TokenIssuer, caller: str, connect_id: ConnectId
) -> Found:
    """Raises LimitReached when the caller has no look-up left (the profile unseen), Missing
    when no user or contact point has the ConnectID (the look-up spent all the same)."""
    decision, profile = await lookups.look_up(pool, limit, caller, connect_id)
    if not decision.allowed:
        raise LimitReached(
            "rate_limited",
            f"Too many ConnectID look-ups; try again in {decision.retry_after_seconds} s.",
            decision.retry_after_seconds,
            policy=limit.policy,
        )
    if profile is None:
        raise Missing(
            "connect_id_not_found", "No user or contact point has this ConnectID.", "connect_id"
        )
    return Found(profile, await issuer.add_contact_grant(pool, caller, profile.connect_id))
