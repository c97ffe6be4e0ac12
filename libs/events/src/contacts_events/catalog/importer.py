"""Events the `importer` service emits about one import batch, keyed by the import's id."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, model_validator

from contacts_events import topics
from contacts_events.base import IntegrationEvent
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

RowNumber = Annotated[int, Field(ge=1, description="1-based row of the input the user sees.")]


class ImportSource(StrEnum):
    PASTED = "pasted"
    FILE = "file"


class RowStatus(StrEnum):
    """The status of one imported row, as the user sees it."""

    INVALID = "invalid"
    READY_TO_INVITE = "ready_to_invite"
    USER_ADDED = "user_added"
    ALREADY_CONTACT = "already_contact"
    ALREADY_INVITED = "already_invited"
    DUPLICATE_IN_IMPORT = "duplicate_in_import"
    SELF = "self"


_MATCHED_STATUSES = frozenset({RowStatus.USER_ADDED, RowStatus.ALREADY_CONTACT, RowStatus.SELF})


class ImportCounts(BaseModel):
    """How many rows of an import ended in each status."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    invalid: NonNegativeInt
    ready_to_invite: NonNegativeInt
    user_added: NonNegativeInt
    already_contact: NonNegativeInt
    already_invited: NonNegativeInt
    duplicate_in_import: NonNegativeInt
    self: NonNegativeInt

    def total(self) -> int:
        return sum(getattr(self, status.value) for status in RowStatus)


class ImportEvent(IntegrationEvent):
    """Base of the events of one import, on `importer.imports`, keyed by `import_id`."""

    topic = topics.IMPORTS

    import_id: UUID

    def partition_key(self) -> str:
        return str(self.import_id)


@registry.register
class ImportStarted(ImportEvent):
    """A user submitted pasted phone numbers or an uploaded list (after column mapping)."""

    name = "ImportStarted"

    owner_id: UUID = Field(description="The user importing contacts.")
    source: ImportSource
    filename: str | None = Field(default=None, max_length=255, description="For files only.")
    total_rows: NonNegativeInt | None = Field(default=None, description="When known upfront.")

    @model_validator(mode="after")
    def _filename_only_for_files(self) -> ImportStarted:
        if self.source is ImportSource.PASTED and self.filename is not None:
            raise ValueError("filename must be empty for pasted numbers")
        return self


@registry.register
class ImportRowValidated(ImportEvent):
    """One row of an import got its final status.

    `user_added` rows make contacts add `matched_user_id` to the owner's contacts;
    `ready_to_invite` rows can be invited. `reason_code`/`reason` explain every status.
    """

    name = "ImportRowValidated"

    owner_id: UUID
    source: ImportSource = Field(description="Pasted numbers or an uploaded list.")
    row_number: RowNumber
    raw_phone: str = Field(max_length=256, description="The phone number as the user typed it.")
    phone_e164: PhoneE164 | None = Field(default=None, description="None when unparseable.")
    status: RowStatus
    reason_code: ReasonCode = Field(examples=["too_short", "not_mobile", "premium_rate"])
    reason: Reason = Field(examples=["This number is too short for France (+33)."])
    display_name: DisplayName | None = None
    email: EmailAddress | None = None
    matched_user_id: UUID | None = Field(default=None, description="The user owning the number.")

    @model_validator(mode="after")
    def _fields_match_status(self) -> ImportRowValidated:
        if self.status is not RowStatus.INVALID and self.phone_e164 is None:
            raise ValueError(f"phone_e164 is required for status {self.status.value!r}")
        if (self.matched_user_id is not None) != (self.status in _MATCHED_STATUSES):
            raise ValueError(
                "matched_user_id is required for user_added, already_contact and self rows "
                "and only for them"
            )
        return self

    def subject(self) -> str:
        return f"{self.import_id}/rows/{self.row_number}"


@registry.register
class ImportRowMatched(ImportEvent):
    """A row of an import matched a registered user not yet in the owner's contacts.

    Emitted on `importer.matches` in the transaction of the row's `ImportRowValidated` (status
    `user_added`, same `import_id` and `row_number`): the contacts service adds
    `matched_user_id` to the owner's contacts from these alone, without reading every row.
    """

    name = "ImportRowMatched"
    topic = topics.MATCHES

    owner_id: UUID = Field(description="The user importing contacts.")
    source: ImportSource = Field(description="Pasted numbers or an uploaded list.")
    row_number: RowNumber
    matched_user_id: UUID = Field(description="The user owning the row's number.")

    def subject(self) -> str:
        return f"{self.import_id}/rows/{self.row_number}"


@registry.register
class ImportCompleted(ImportEvent):
    """Every row of an import has its status; the counts are final."""

    name = "ImportCompleted"

    owner_id: UUID
    total_rows: NonNegativeInt
    counts: ImportCounts

    @model_validator(mode="after")
    def _counts_add_up(self) -> ImportCompleted:
        if self.counts.total() != self.total_rows:
            raise ValueError(f"counts add up to {self.counts.total()}, not {self.total_rows}")
        return self


@registry.register
class InvitationRequested(ImportEvent):
    """The user clicked *Invite contact*: one invitation is asked for one `ready_to_invite` row.

    The invitations service applies its limits, creates the invitation and sends it;
    `request_id` is its idempotency key (a redelivered request creates nothing new).
    """

    name = "InvitationRequested"

    inviter_id: UUID = Field(description="The user who invites (the import's owner).")
    request_id: UUID
    channel: InvitationChannel
    phone_e164: PhoneE164 | None = None
    email: EmailAddress | None = None
    display_name: DisplayName | None = None
    row_number: RowNumber | None = None

    @model_validator(mode="after")
    def _address_matches_channel(self) -> InvitationRequested:
        check_channel_address(self.channel, self.phone_e164, self.email)
        return self

    def subject(self) -> str:
        return f"{self.import_id}/invitation-requests/{self.request_id}"
