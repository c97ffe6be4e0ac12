"""The statements of the SMS provider's status callbacks: the message it knows by its id, and
a failure it reports after it accepted the message (recorded once)."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from invitations_service.adapters.delivery_context import context_of
from invitations_service.domain.invitation import SentMessage

_SENT_MESSAGE = (
    "SELECT d.delivery_id, d.correlation_id, d.causation_id, d.tenant, d.actor,"
    " i.invitation_id, i.inviter_id, i.send_count FROM deliveries d"
    " JOIN invitations i USING (invitation_id) WHERE d.provider_message_id = $1"
)
_MARK_FAILED = (
    "UPDATE deliveries SET status = 'failed', last_error = $2"
    " WHERE delivery_id = $1 AND status = 'sent' RETURNING true"
)
_INVITATION_FAILED = (
    "UPDATE invitations SET status = 'delivery_failed' WHERE invitation_id = $1 AND status = 'sent'"
)


async def sent_message(conn: asyncpg.Connection, provider_message_id: str) -> SentMessage | None:
    row = await conn.fetchrow(_SENT_MESSAGE, provider_message_id)
    if row is None:
        return None
    return SentMessage(
        row["delivery_id"],
        row["invitation_id"],
        row["inviter_id"],
        row["send_count"],
        context_of(row),
    )


async def mark_failed(conn: asyncpg.Connection, delivery_id: UUID, error: str) -> bool:
    return bool(await conn.fetchval(_MARK_FAILED, delivery_id, error))


async def invitation_failed(conn: asyncpg.Connection, invitation_id: UUID) -> None:
    await conn.execute(_INVITATION_FAILED, invitation_id)
