"""Invitations by SMS or email, and where a tenant's SMS may go (invitations service)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from contacts_client.models.base import Model

Channel = Literal["sms", "email"]


class Invitation(Model):
    invitation_id: UUID
    channel: str
    destination: str  # the phone number (E.164) or the email address
    name: str | None
    status: str
    send_count: int
    last_sent_at: datetime | None
    expires_at: datetime
    created_at: datetime


class DestinationCountries(Model):
    tenant_id: UUID
    explicit: bool  # set by an admin; false: the members' countries apply
    countries: list[str]  # where SMS invitations may go now (ISO 3166 alpha-2)
    member_countries: list[str]  # where the tenant's members' phones are
