"""The event catalogue: one module per producing service; importing this registers them all."""

from __future__ import annotations

from contacts_events.base import IntegrationEvent
from contacts_events.catalog import contacts, directory, importer, invitations
from contacts_events.catalog.contacts import (
    ContactAdded,
    ContactArchived,
    ContactRemovalReason,
    ContactRemoved,
    ContactSource,
    ContactUnarchived,
)
from contacts_events.catalog.directory import (
    CompanyCreated,
    CompanyMemberJoined,
    CompanyMemberLeft,
    CompanyMembershipDeclined,
    CompanyMembershipOffered,
    CompanyMembershipWithdrawn,
    CompanyRole,
    ContactPointCreated,
    ContactPointRemoved,
    DeactivationReason,
    ProfileField,
    UserDeactivated,
    UserProfileChanged,
    UserRegistered,
)
from contacts_events.catalog.importer import (
    ImportCompleted,
    ImportCounts,
    ImportRowMatched,
    ImportRowValidated,
    ImportSource,
    ImportStarted,
    InvitationRequested,
    RowStatus,
)
from contacts_events.catalog.invitations import (
    AcceptanceMatch,
    CancellationReason,
    InvitationAccepted,
    InvitationCancelled,
    InvitationDeliveryFailed,
    InvitationExpired,
    InvitationRefused,
    InvitationResent,
    InvitationSent,
)
from contacts_events.catalog.values import InvitationChannel

SERVICES = ("directory", "contacts", "importer", "invitations")
"""The producing services, each the name of its catalogue module."""


def producer_of(event: type[IntegrationEvent]) -> str:
    """The service that emits `event`: the catalogue module that defines it."""
    service = event.__module__.removeprefix(f"{__name__}.")
    if service not in SERVICES:
        raise ValueError(f"{event.__name__} is not defined in a catalogue module ({__name__}.*)")
    return service


__all__ = [
    "SERVICES",
    "AcceptanceMatch",
    "CancellationReason",
    "CompanyCreated",
    "CompanyMemberJoined",
    "CompanyMemberLeft",
    "CompanyMembershipDeclined",
    "CompanyMembershipOffered",
    "CompanyMembershipWithdrawn",
    "CompanyRole",
    "ContactAdded",
    "ContactArchived",
    "ContactPointCreated",
    "ContactPointRemoved",
    "ContactRemovalReason",
    "ContactRemoved",
    "ContactSource",
    "ContactUnarchived",
    "DeactivationReason",
    "ImportCompleted",
    "ImportCounts",
    "ImportRowMatched",
    "ImportRowValidated",
    "ImportSource",
    "ImportStarted",
    "InvitationAccepted",
    "InvitationCancelled",
    "InvitationChannel",
    "InvitationDeliveryFailed",
    "InvitationExpired",
    "InvitationRefused",
    "InvitationRequested",
    "InvitationResent",
    "InvitationSent",
    "ProfileField",
    "RowStatus",
    "UserDeactivated",
    "UserProfileChanged",
    "UserRegistered",
    "contacts",
    "directory",
    "importer",
    "invitations",
    "producer_of",
]
