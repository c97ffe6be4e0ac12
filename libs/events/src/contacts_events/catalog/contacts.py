"""Events the `contacts` service emits about a user's own contacts, keyed by the owner's id.

One key per owner keeps every change to one contact list in order (archive, then unarchive).
Company-managed contacts (colleagues, contact points) are not contacts of this kind: they are
derived from directory events and never appear here.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from pydantic import Field, model_validator

from contacts_events import topics
from contacts_events.base import IntegrationEvent
from contacts_events.registry import registry


class ContactSource(StrEnum):
    """How a contact came to be in the owner's list."""

    CONNECT_ID = "connect_id"
    PHONE_IMPORT = "phone_import"
    LIST_IMPORT = "list_import"
    INVITATION = "invitation"


class ContactRemovalReason(StrEnum):
    REMOVED_BY_OWNER = "removed_by_owner"
    CONTACT_DEACTIVATED = "contact_deactivated"


_IMPORT_SOURCES = frozenset({ContactSource.PHONE_IMPORT, ContactSource.LIST_IMPORT})


class ContactEvent(IntegrationEvent):
    """Base of the events about one contact of one owner, keyed by `owner_id`."""

    topic = topics.CONTACTS

    owner_id: UUID = Field(description="The user whose contact list changed.")
    contact_user_id: UUID = Field(description="The registered user who is the contact.")

    def partition_key(self) -> str:
        return str(self.owner_id)

    def subject(self) -> str:
        return f"{self.owner_id}/contacts/{self.contact_user_id}"


@registry.register
class ContactAdded(ContactEvent):
    """A registered user entered the owner's active contacts.

    Emitted when the owner adds a ConnectID, when an import row matched a registered user, and
    (once for each side) when an invitation is accepted. Adding an existing contact emits nothing.
    """

    name = "ContactAdded"

    source: ContactSource
    import_id: UUID | None = Field(default=None, description="Set for the two import sources.")
    invitation_id: UUID | None = Field(default=None, description="Set for source `invitation`.")

    @model_validator(mode="after")
    def _origin_matches_source(self) -> ContactAdded:
        if (self.import_id is not None) != (self.source in _IMPORT_SOURCES):
            raise ValueError("import_id is required for import sources and only for them")
        if (self.invitation_id is not None) != (self.source is ContactSource.INVITATION):
            raise ValueError("invitation_id is required for source 'invitation' and only for it")
        return self


@registry.register
class ContactArchived(ContactEvent):
    """The owner moved a contact from Active contacts to Archived contacts."""

    name = "ContactArchived"


@registry.register
class ContactUnarchived(ContactEvent):
    """The owner moved an archived contact back to Active contacts."""

    name = "ContactUnarchived"


@registry.register
class ContactRemoved(ContactEvent):
    """A contact left the owner's list (deleted by the owner, or the contact's account closed)."""

    name = "ContactRemoved"

    reason: ContactRemovalReason
