"""An invitation as the use cases see it, and the requests they turn into invitations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from contacts_events import EventContext

OPEN = ("pending", "sent", "delivery_failed")  # an invitation that can still be accepted


@dataclass(frozen=True)
class Invitation:
    invitation_id: UUID
    inviter_id: UUID
    request_id: UUID  # the InvitationRequested's, or the id the API gave an invite
    channel: str  # "sms" or "email"
    phone_e164: str | None
    email: str | None
    invitee_name: str | None  # how the inviter names the person invited
    status: str  # OPEN, or "accepted", "cancelled", "expired"
    send_count: int
    last_sent_at: datetime | None
    expires_at: datetime
    created_at: datetime

    @property
    def destination(self) -> str:
        """The E.164 number, or the address in lower case: what cool-downs and caps count."""
        return self.phone_e164 or (self.email or "").lower()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


@dataclass(frozen=True)
class NewInvitation:
    """What an invite asks for; the store adds its status (`pending`), counts and dates."""

    invitation_id: UUID
    inviter_id: UUID
    request_id: UUID
    import_id: UUID | None
    channel: str
    phone_e164: str | None
    email: str | None
    invitee_name: str | None
    token: str  # the secret of the link in the message
    expires_at: datetime


@dataclass(frozen=True)
class StagedRequest:
    """An InvitationRequested waiting in the queue, with the context of its event."""

    request_id: UUID
    event_id: UUID  # the InvitationRequested's: the cause of what it leads to
    correlation_id: str | None
    tenant: str | None  # the event's tenant attribute
    actor: str | None
    inviter_id: UUID
    import_id: UUID | None
    row_number: int | None
    channel: str
    phone_e164: str | None
    email: str | None
    display_name: str | None  # the invitee's name as the importer sent it


@dataclass(frozen=True)
class SentMessage:
    """A message the SMS provider accepted (its delivery), as a status callback finds it."""

    delivery_id: UUID
    invitation_id: UUID
    inviter_id: UUID
    send_count: int
    context: EventContext | None  # the invite's or resend's (None: queued before it was kept)
