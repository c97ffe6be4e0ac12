"""What the SMS provider reports later about a message it accepted (status callbacks).

A failure is announced in the context the message was queued in: its InvitationDeliveryFailed
carries the correlation id of the invite or resend that asked for it (the callback's own is
the provider's request, which nothing else shares).
"""

from __future__ import annotations

from contacts_channels.sms_callback import FAILED_STATUSES, StatusUpdate
from contacts_events import EventContext, InvitationChannel, InvitationDeliveryFailed

from invitations_service.adapters.metrics import count_delivery_failed
from invitations_service.handlers.ports import InvitationsWork


async def record_status(work: InvitationsWork, update: StatusUpdate) -> bool:
    """Apply one callback; False when no delivery has this provider id. A failure after the
    provider accepted the message marks the invitation `delivery_failed` (once)."""
    message = await work.deliveries.sent_message(update.provider_message_id)
    if message is None:
        return False
    if update.status not in FAILED_STATUSES:
        return True
    error = f"provider: {update.status} {update.error_code or ''}".strip()
    if not await work.deliveries.mark_failed(message.delivery_id, error):
        return True  # already recorded (the provider may call back more than once)
    await work.invitations.delivery_failed(message.invitation_id)
    failed = InvitationDeliveryFailed(
        invitation_id=message.invitation_id, inviter_id=message.inviter_id,
        channel=InvitationChannel.SMS, attempt=max(1, message.send_count),
        reason_code=f"provider_{update.status}",
        reason=f"The SMS provider reported the message {update.status}"
        + (f" (error {update.error_code})." if update.error_code else "."),
        will_retry=False,
    )  # fmt: skip
    work.emit_in(message.context or EventContext(), failed)
    count_delivery_failed("sms", permanent=True)
    return True
