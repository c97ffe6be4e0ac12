"""Events the `invitations` service emits about one invitation, keyed by the invitation's id.

An invitation is pending from `InvitationSent` until it is accepted, cancelled or expired; the
closing events carry the `request_id` of the request that created it.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from pydantic import AwareDatetime, Field, PositiveInt, model_validator

from contacts_events import topics
from contacts_events.base import IntegrationEvent
from contacts_events.catalog.importer import RowNumber
from contacts_events.catalog.values import (
    DisplayName,
    EmailAddress,
    InvitationChannel,
    PhoneE164,
    Reason,
    ReasonCode,
    check_channel_address,
)
from contacts_events.registry import registry


class CancellationReason(StrEnum):
    DELETED_BY_INVITER = "deleted_by_inviter"
    INVITER_DEACTIVATED = "inviter_deactivated"


class AcceptanceMatch(StrEnum):
    """How the new user was recognised as the invitee."""

    INVITATION_TOKEN = "invitation_token"  # noqa: S105 - a kind of match, not a secret
    PHONE = "phone"
    EMAIL = "email"


class InvitationEvent(IntegrationEvent):
    """Base of the events of one invitation, keyed by `invitation_id`."""

    topic = topics.INVITATIONS

    invitation_id: UUID
    inviter_id: UUID = Field(description="The user who invited.")

    def partition_key(self) -> str:
        return str(self.invitation_id)


class _Addressed(InvitationEvent):
    """An invitation message went out on `channel` to the phone number or email address."""

    channel: InvitationChannel
    phone_e164: PhoneE164 | None = None
    email: EmailAddress | None = None
    expires_at: AwareDatetime = Field(description="When the invitation stops being acceptable.")

    @model_validator(mode="after")
    def _address_matches_channel(self) -> _Addressed:
        check_channel_address(self.channel, self.phone_e164, self.email)
        return self


@registry.register
class InvitationSent(_Addressed):
    """A new invitation was created and its first message handed to the SMS or email provider.

    From now on the invitation is pending: the importer reports the number as already invited.
    A message that was in flight when the invitation closed is still announced, after the
    `InvitationAccepted` or `InvitationCancelled` that closed it: consumers keep a closed
    invitation closed.
    """

    name = "InvitationSent"

    request_id: UUID | None = Field(
        default=None,
        description="The InvitationRequested that created the invitation (for one created over "
        "the API, the service's own request id).",
    )
    import_id: UUID | None = None
    display_name: DisplayName | None = Field(
        default=None, description="How the inviter named them."
    )


@registry.register
class InvitationDeliveryFailed(InvitationEvent):
    """The provider could not deliver an invitation message (rejected, bounced, undeliverable)."""

    name = "InvitationDeliveryFailed"

    channel: InvitationChannel
    attempt: PositiveInt = Field(description="1 for the first message, then one more per resend.")
    reason_code: ReasonCode = Field(examples=["invalid_number", "mailbox_unavailable"])
    reason: Reason
    will_retry: bool = Field(description="Whether the service retries this message by itself.")


@registry.register
class InvitationResent(_Addressed):
    """The inviter asked to send a pending invitation again, and the message went out.

    The channel may differ from the first one (SMS, then email). Only resends within the
    cool-down and daily cap get here.
    """

    name = "InvitationResent"

    resend_count: PositiveInt = Field(
        description="How many times it has been resent, this one included."
    )


class _Closing(InvitationEvent):
    """An invitation stopped being pending (accepted, cancelled or expired).

    It can close before its first message went out (the inviter deleted it at once): then no
    `InvitationSent` is ever emitted, and `request_id` is the only link to the request that
    asked for it. The importer ends its import's request by that id, so that the number is no
    longer reported as already invited.
    """

    request_id: UUID | None = Field(
        default=None,
        description="The InvitationRequested that created the invitation, if any (for one "
        "created over the API, the service's own request id), as on its InvitationSent. "
        "Absent from events published before it was added.",
    )


@registry.register
class InvitationCancelled(_Closing):
    """A pending invitation was withdrawn; its link no longer works."""

    name = "InvitationCancelled"

    reason: CancellationReason


@registry.register
class InvitationAccepted(_Closing):
    """The invitee registered: the invitation is accepted, and contacts makes them contacts.

    Emitted once per pending invitation that matched the new user (several inviters may have
    invited the same number).
    """

    name = "InvitationAccepted"

    invitee_user_id: UUID = Field(description="The newly registered user.")
    channel: InvitationChannel = Field(description="The channel of the last message sent.")
    matched_by: AcceptanceMatch


@registry.register
class InvitationExpired(_Closing):
    """A pending invitation reached `expires_at` without being accepted; it is no longer pending."""

    name = "InvitationExpired"


@registry.register
class InvitationRefused(InvitationEvent):
    """An `InvitationRequested` was refused: no invitation was created and nothing was sent.

    `reason_code` says which rule refused it (`premium_rate`, `shared_cost`, `not_mobile`,
    `country_not_allowed`, `inviter_daily_cap`, `destination_daily_cap`, ...) and `reason`
    explains it to the inviter. A redelivered request is refused again under the same
    `invitation_id`, so consumers can treat the event as idempotent.
    """

    name = "InvitationRefused"

    invitation_id: UUID = Field(
        description="Derived from `request_id` (UUID v5): the id the invitation would have had. "
        "No invitation ever exists under it."
    )
    request_id: UUID = Field(description="The refused InvitationRequested.")
    import_id: UUID | None = Field(default=None, description="The import that asked, if any.")
    row_number: RowNumber | None = None
    channel: InvitationChannel
    phone_e164: PhoneE164 | None = None
    email: EmailAddress | None = None
    reason_code: ReasonCode = Field(examples=["premium_rate", "country_not_allowed"])
    reason: Reason = Field(examples=["Your company invites only numbers in FR and BE."])

    @model_validator(mode="after")
    def _address_matches_channel(self) -> InvitationRefused:
        check_channel_address(self.channel, self.phone_e164, self.email)
        return self
