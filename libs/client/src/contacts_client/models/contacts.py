"""Each user's contacts (contacts service)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from contacts_client.models.base import Model

ContactList = Literal["active", "archived"]


class Contact(Model):
    contact_id: UUID  # the contact's user id, or the contact point's id
    kind: str  # "user" or "contact_point"
    connect_id: str | None
    display_name: str | None
    company_name: str | None
    archived: bool
    managed: bool  # managed by your company: cannot be archived
    managed_by: str | None  # "colleague" or "company_contact_point"
    added_via: str | None  # connect_id, phone_import, list_import, invitation
    added_at: datetime | None
