"""What the SMS provider reports later about a message it accepted (status callbacks).

A failure is announced in the context the message was queued in: its InvitationDeliveryFailed
carries the correlation id of the invite or resend that asked for it (the callback's own is
the provider's request, which nothing else shares).
"""

from __future__ import annotations

import asyncpg
from contacts_channels.sms_callback import FAILED_STATUSES, StatusUpdate
from contacts_events import EventContext, InvitationChannel, InvitationDeliveryFailed
from contacts_messaging.outbox import Outbox

from invitations_service.adapters.metrics import count_delivery_failed
from invitations_service.handlers.sending import deliveries


async def record_status(conn: asyncpg.Connection, outbox: Outbox, update: StatusUpdate) -> bool:
    """Apply one callback; False when no delivery has this provider id. A failure after the
    provider accepted the message marks the invitation `delivery_failed` (once)."""
    delivery = await conn.fetchrow(
        "SELECT d.delivery_id, d.correlation_id, d.causation_id, d.tenant, d.actor,"
        " i.invitation_id, i.inviter_id, i.send_count FROM deliveries d"
        " JOIN invitations i USING (invitation_id) WHERE d.provider_message_id = $1",
        update.provider_message_id,
    )
    if delivery is None:
        return False
    if update.status not in FAILED_STATUSES:
        return True
    failed = await conn.fetchval(
        "UPDATE deliveries SET status = 'failed', last_error = $2 WHERE delivery_id = $1 AND status = 'sent'"
        " RETURNING true",
        delivery["delivery_id"], f"provider: {update.status} {update.error_code or ''}".strip(),
    )  # fmt: skip
    if not failed:
        return True  # already recorded (the provider may call back more than once)
    await conn.execute(
        "UPDATE invitations SET status = 'delivery_failed' WHERE invitation_id = $1 AND status = 'sent'",
        delivery["invitation_id"],
    )
    event = InvitationDeliveryFailed(
        invitation_id=delivery["invitation_id"], inviter_id=delivery["inviter_id"], channel=InvitationChannel.SMS,
        attempt=max(1, delivery["send_count"]), reason_code=f"provider_{update.status}",
        reason=f"The SMS provider reported the message {update.status}"
        + (f" (error {update.error_code})." if update.error_code else "."),
        will_retry=False,
    )  # fmt: skip
    await outbox.add(conn, [event], deliveries.context_of(delivery) or EventContext())
    count_delivery_failed("sms", permanent=True)
    return True
