"""Events the `directory` service emits: users (keyed by user id) and companies (by company id)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import AwareDatetime, Field

from contacts_events import topics
from contacts_events.base import IntegrationEvent
from contacts_events.catalog.values import ConnectId, DisplayName, EmailAddress, PhoneE164
from contacts_events.registry import registry


class ProfileField(StrEnum):
    """A user-profile field whose change other services may care about."""

    DISPLAY_NAME = "display_name"
    PHONE_E164 = "phone_e164"
    EMAIL = "email"


class DeactivationReason(StrEnum):
    CLOSED_BY_USER = "closed_by_user"
    CLOSED_BY_ADMIN = "closed_by_admin"
    ERASED = "erased"


class CompanyRole(StrEnum):
    MEMBER = "member"
    ADMIN = "admin"


class UserEvent(IntegrationEvent):
    """Base of the events about one user, on `directory.users`, keyed by `user_id`.

    The topic is compacted (only the latest record per user is kept for good): every user event
    carries the user's whole current state, and a consumer must apply the first one it sees for
    a user, whichever it is, as an upsert."""

    topic = topics.DIRECTORY_USERS

    user_id: UUID

    def partition_key(self) -> str:
        return str(self.user_id)


class CompanyEvent(IntegrationEvent):
    """Base of the events about one company, on `directory.companies`, keyed by `company_id`."""

    topic = topics.DIRECTORY_COMPANIES

    company_id: UUID

    def partition_key(self) -> str:
        return str(self.company_id)


@registry.register
class UserRegistered(UserEvent):
    """A person finished sign-up: their phone number is verified and their ConnectID issued.

    Invitations match it to pending invitations (by `invitation_token`, phone or email); the
    importer and contacts add the user to their projections. When the user signed up into a
    company, a `CompanyMemberJoined` follows on `directory.companies`.
    """

    name = "UserRegistered"

    connect_id: ConnectId
    display_name: DisplayName
    phone_e164: PhoneE164 = Field(description="The verified mobile number.")
    email: EmailAddress | None = Field(default=None, description="The verified email, if any.")
    company_id: UUID | None = None
    invitation_token: str | None = Field(
        default=None,
        max_length=200,
        description="Token of the invitation link the user signed up through, if any.",
    )


@registry.register
class UserProfileChanged(UserEvent):
    """A user changed their name, verified a new phone number or changed their email.

    Carries the whole current profile (event-carried state transfer): consumers overwrite their
    copy; `changed_fields` says what differs from the previous event about this user.
    """

    name = "UserProfileChanged"

    connect_id: ConnectId
    display_name: DisplayName
    phone_e164: PhoneE164
    email: EmailAddress | None = None
    changed_fields: Annotated[tuple[ProfileField, ...], Field(min_length=1)]


@registry.register
class UserDeactivated(UserEvent):
    """A user account was closed: the user no longer signs in, matches or receives contacts.

    Their phone number and email become free, and every service erases its copies of them in
    the transaction that applies this event. Carries no personal field: on the compacted
    `directory.users` it is the user's last record, so the older ones that carried the number
    and email are removed by the log cleaner.
    """

    name = "UserDeactivated"

    reason: DeactivationReason


@registry.register
class CompanyCreated(CompanyEvent):
    """A company was set up on the platform. Carries its name, which the public profiles of its
    members and contact points show."""

    name = "CompanyCreated"
    company_name: DisplayName


@registry.register
class CompanyMemberJoined(CompanyEvent):
    """A user became a member of a company (at sign-up, by accepting a membership offer, or
    added by the platform).

    From now on the company's members and contact points are the user's company-managed
    contacts, and the user is one of every other member's.
    """

    name = "CompanyMemberJoined"

    user_id: UUID
    role: CompanyRole
    offer_id: UUID | None = Field(
        default=None, description="The membership offer the user accepted, if they joined so."
    )

    def subject(self) -> str:
        return f"{self.company_id}/members/{self.user_id}"


@registry.register
class CompanyMemberLeft(CompanyEvent):
    """A user stopped being a member of a company (left, removed, or account closed)."""

    name = "CompanyMemberLeft"

    user_id: UUID

    def subject(self) -> str:
        return f"{self.company_id}/members/{self.user_id}"


@registry.register
class ContactPointCreated(CompanyEvent):
    """A company published a shared contact point (a desk, a team): every member now sees it."""

    name = "ContactPointCreated"

    contact_point_id: UUID
    connect_id: ConnectId
    display_name: DisplayName

    def subject(self) -> str:
        return f"{self.company_id}/contact-points/{self.contact_point_id}"


@registry.register
class ContactPointRemoved(CompanyEvent):
    """A company withdrew a shared contact point: it leaves every member's contacts."""

    name = "ContactPointRemoved"

    contact_point_id: UUID

    def subject(self) -> str:
        return f"{self.company_id}/contact-points/{self.contact_point_id}"


class MembershipOfferEvent(CompanyEvent):
    """Base of the events about one membership offer (keyed by company id like the rest)."""

    offer_id: UUID
    user_id: UUID = Field(description="The user asked to join.")

    def subject(self) -> str:
        return f"{self.company_id}/membership-offers/{self.offer_id}"


@registry.register
class CompanyMembershipOffered(MembershipOfferEvent):
    """A company admin asked a user to join the company; the user is not a member yet.

    Membership needs the user's consent: accepting makes a `CompanyMemberJoined` carrying this
    `offer_id`; otherwise the offer ends with `CompanyMembershipDeclined`,
    `CompanyMembershipWithdrawn`, or unannounced at `expires_at`. Offered whatever the user's
    membership elsewhere, so the offer says nothing about other companies.
    """

    name = "CompanyMembershipOffered"

    role: CompanyRole = Field(description="The role the user gets by accepting.")
    offered_by: UUID = Field(description="The admin who made the offer.")
    expires_at: AwareDatetime = Field(description="When the offer stops being acceptable.")


@registry.register
class CompanyMembershipDeclined(MembershipOfferEvent):
    """The user declined a membership offer: they do not join, and the offer is closed."""

    name = "CompanyMembershipDeclined"


@registry.register
class CompanyMembershipWithdrawn(MembershipOfferEvent):
    """A company admin withdrew a pending membership offer before the user answered it."""

    name = "CompanyMembershipWithdrawn"
