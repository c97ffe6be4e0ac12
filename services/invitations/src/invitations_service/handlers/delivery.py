"""The delivery worker: sends queued messages through their channel, at a bounded rate.

Each due delivery is first claimed in its own committed transaction (status `sending`, one
more attempt, a lease), and only then handed to the provider with the delivery id as the
provider's idempotency key. A worker that dies mid-send leaves the claim to expire; the next
worker sends again with the same key, which the provider recognises: one message, not two.
Results are recorded with the invitation's events in one transaction.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from datetime import timedelta

import asyncpg
import structlog
from contacts_events import (
    EventContext,
    InvitationChannel,
    InvitationDeliveryFailed,
    InvitationResent,
    InvitationSent,
)
from contacts_events.base import IntegrationEvent
from contacts_messaging.outbox import Outbox

from invitations_service.adapters import metrics
from invitations_service.adapters.channels.base import (
    Channel,
    Message,
    PermanentFailure,
    SendResult,
    TemporaryFailure,
)
from invitations_service.domain.policy import Policy
from invitations_service.handlers.accepting import expire_due

log = structlog.get_logger(__name__)

_CLAIM = """
WITH due AS (
    SELECT delivery_id FROM deliveries
    WHERE (status = 'queued' AND not_before <= now()) OR (status = 'sending' AND claimed_until < now())
    ORDER BY not_before LIMIT $1 FOR UPDATE SKIP LOCKED
)
UPDATE deliveries d SET status = 'sending', attempts = attempts + 1, claimed_until = now() + $2::interval
FROM due WHERE d.delivery_id = due.delivery_id
RETURNING d.delivery_id, d.invitation_id, d.kind, d.attempts
"""


class DeliveryWorker:
    def __init__(
        self, pool: asyncpg.Pool, outbox: Outbox, channels: Mapping[str, Channel], policy: Policy,
        link_base: str, per_second: float = 20.0, batch: int = 20, lease: timedelta = timedelta(minutes=2),
    ) -> None:  # fmt: skip
        self.pool, self.outbox, self.channels, self.policy = pool, outbox, channels, policy
        self.link_base = link_base.rstrip("/")
        self.interval = 1 / per_second
        self.batch, self.lease = batch, lease
        self.sent = 0
        self._next_send = 0.0

    async def run(self, idle_seconds: float = 0.5) -> None:
        """Deliver until cancelled; expire overdue invitations once a minute."""
        next_expiry = 0.0
        while True:
            try:
                if time.monotonic() >= next_expiry:
                    async with self.pool.acquire() as conn, conn.transaction():
                        await expire_due(conn, self.outbox)
                    next_expiry = time.monotonic() + 60
                if await self.deliver_due() == 0:
                    await asyncio.sleep(idle_seconds)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("delivery.worker_retry", error=repr(exc))
                await asyncio.sleep(2)

    async def deliver_due(self) -> int:
        async with self.pool.acquire() as conn, conn.transaction():
            claimed = await conn.fetch(_CLAIM, self.batch, self.lease)
        for delivery in claimed:
            await self._deliver(delivery)
        return len(claimed)

    async def _deliver(self, delivery: asyncpg.Record) -> None:
        async with self.pool.acquire() as conn:
            invitation = await conn.fetchrow(
                "SELECT i.*, coalesce(u.display_name, 'A contact') AS inviter_name FROM invitations i"
                " LEFT JOIN directory_users u ON u.user_id = i.inviter_id WHERE i.invitation_id = $1",
                delivery["invitation_id"],
            )
        message = Message(
            delivery_id=str(delivery["delivery_id"]), channel=invitation["channel"],
            to=invitation["phone_e164"] or invitation["email"], inviter_name=invitation["inviter_name"],
            invitee_name=invitation["invitee_name"], link=f"{self.link_base}/invite/{invitation['token']}",
            expires_at=invitation["expires_at"],
        )  # fmt: skip
        await self._pace()
        try:
            result = await self.channels[invitation["channel"]].send(message)
        except TemporaryFailure as failure:
            await self._failed(
                delivery, invitation, failure.reason_code, failure.reason, permanent=False
            )
        except PermanentFailure as failure:
            await self._failed(
                delivery, invitation, failure.reason_code, failure.reason, permanent=True
            )
        else:
            await self._sent(delivery, invitation, result)

    async def _sent(
        self, delivery: asyncpg.Record, invitation: asyncpg.Record, result: SendResult
    ) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            recorded = await conn.execute(
                "UPDATE deliveries SET status = 'sent', sent_at = now(), provider_message_id = $2"
                " WHERE delivery_id = $1 AND status = 'sending'",
                delivery["delivery_id"], result.provider_message_id,
            )  # fmt: skip
            if recorded != "UPDATE 1":
                return
            sends = await conn.fetchval(
                "UPDATE invitations SET status = 'sent', send_count = send_count + 1, last_sent_at = now()"
                " WHERE invitation_id = $1 AND status IN ('pending', 'sent', 'delivery_failed') RETURNING send_count",
                invitation["invitation_id"],
            )
            if sends is None:
                return  # cancelled or accepted meanwhile: nothing to announce
            await self.outbox.add(
                conn, [self._sent_event(delivery, invitation, sends)], EventContext()
            )
        self.sent += 1
        metrics.count_sent(invitation["channel"])

    def _sent_event(
        self, delivery: asyncpg.Record, invitation: asyncpg.Record, sends: int
    ) -> IntegrationEvent:
        common = {
            "invitation_id": invitation["invitation_id"], "inviter_id": invitation["inviter_id"],
            "channel": InvitationChannel(invitation["channel"]), "phone_e164": invitation["phone_e164"],
            "email": invitation["email"], "expires_at": invitation["expires_at"],
        }  # fmt: skip
        if delivery["kind"] == "first":
            return InvitationSent(
                **common, request_id=invitation["request_id"], import_id=invitation["import_id"],
                display_name=invitation["invitee_name"] or None,
            )  # fmt: skip
        return InvitationResent(**common, resend_count=max(1, sends - 1))

    async def _failed(
        self,
        delivery: asyncpg.Record,
        invitation: asyncpg.Record,
        code: str,
        reason: str,
        *,
        permanent: bool,
    ) -> None:
        retry = not permanent and delivery["attempts"] < self.policy.max_delivery_attempts
        async with self.pool.acquire() as conn, conn.transaction():
            if retry:
                await conn.execute(
                    "UPDATE deliveries SET status = 'queued', not_before = now() + $2::interval, last_error = $3"
                    " WHERE delivery_id = $1 AND status = 'sending'",
                    delivery["delivery_id"], self.policy.retry_delay(delivery["attempts"]), f"{code}: {reason}",
                )  # fmt: skip
            else:
                await self._given_up(conn, delivery, invitation, code, reason)
        metrics.count_delivery_failed(invitation["channel"], permanent=not retry)
        if not retry:
            log.warning(
                "delivery.failed", invitation_id=str(invitation["invitation_id"]), code=code
            )

    async def _given_up(
        self, conn: asyncpg.Connection, delivery: asyncpg.Record, invitation: asyncpg.Record,
        code: str, reason: str,
    ) -> None:  # fmt: skip
        await conn.execute(
            "UPDATE deliveries SET status = 'failed', last_error = $2 WHERE delivery_id = $1",
            delivery["delivery_id"], f"{code}: {reason}",
        )  # fmt: skip
        await conn.execute(
            "UPDATE invitations SET status = 'delivery_failed' WHERE invitation_id = $1 AND status = 'pending'",
            invitation["invitation_id"],
        )
        event = InvitationDeliveryFailed(
            invitation_id=invitation["invitation_id"], inviter_id=invitation["inviter_id"],
            channel=InvitationChannel(invitation["channel"]), attempt=invitation["send_count"] + 1,
            reason_code=code, reason=reason[:500] or code, will_retry=False,
        )  # fmt: skip
        await self.outbox.add(conn, [event], EventContext())

    async def _pace(self) -> None:
        """At most `per_second` sends a second from this worker (the provider's rate)."""
        now = time.monotonic()
        if self._next_send > now:
            await asyncio.sleep(self._next_send - now)
        self._next_send = max(now, self._next_send) + self.interval
