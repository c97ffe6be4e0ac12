"""Expiry, a periodic task of its own (started by the service host with the other background
work): once a minute, the invitations nobody accepted in time are closed (`InvitationExpired`,
with no cause: a new correlation id) and the cool-downs that ended are forgotten."""

from __future__ import annotations

import asyncio

import asyncpg
import structlog
from contacts_events import EventContext, InvitationExpired
from contacts_messaging.outbox import Outbox

from invitations_service.adapters.unit_of_work import PostgresInvitationsWork
from invitations_service.domain.policy import Policy
from invitations_service.handlers.ports import InvitationsWork

log = structlog.get_logger(__name__)

EXPIRY_INTERVAL_SECONDS = 60.0
RETRY_SECONDS = 2.0  # after a failed round (Postgres away): soon, not a minute later


async def expire_due(work: InvitationsWork, policy: Policy) -> int:
    """Close the invitations past their expiry and forget the ended cool-downs; how many
    invitations expired."""
    expired = await work.invitations.expire_due()
    work.emit(
        *(
            InvitationExpired(
                invitation_id=i.invitation_id, inviter_id=i.inviter_id, request_id=i.request_id
            )
            for i in expired
        )
    )
    await work.cooldowns.forget_ended(policy.resend_cooldown)
    return len(expired)


class ExpiryTask:
    """Runs `expire_due` in its own transaction at once, then every `interval` seconds."""

    def __init__(
        self, pool: asyncpg.Pool, outbox: Outbox, policy: Policy,
        interval: float = EXPIRY_INTERVAL_SECONDS,
    ) -> None:  # fmt: skip
        self.pool, self.outbox, self.policy, self.interval = pool, outbox, policy, interval

    async def run(self) -> None:
        """Expire until cancelled."""
        while True:
            try:
                await self.expire_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("expiry.retry", error=repr(exc))
                await asyncio.sleep(RETRY_SECONDS)
                continue
            await asyncio.sleep(self.interval)

    async def expire_once(self) -> int:
        async with self.pool.acquire() as conn, conn.transaction():
            work = PostgresInvitationsWork(conn)
            expired = await expire_due(work, self.policy)
            await work.write_events(self.outbox, EventContext())
        return expired
