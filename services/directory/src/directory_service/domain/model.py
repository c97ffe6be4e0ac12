"""The directory's records, as its handlers see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from contacts_events.connect_id import ConnectId


@dataclass(frozen=True)
class User:
    user_id: UUID
    connect_id: ConnectId
    display_name: str
    phone_e164: str
    email: str | None
    status: str
    company_id: UUID | None
    company_role: str | None
    created_at: datetime


@dataclass(frozen=True)
class PublicProfile:
    """What anyone who knows a ConnectID may see: never a phone number or an email."""

    connect_id: ConnectId
    display_name: str
    company_name: str | None
    is_contact_point: bool


@dataclass(frozen=True)
class Company:
    company_id: UUID
    name: str


@dataclass(frozen=True)
class ContactPoint:
    contact_point_id: UUID
    company_id: UUID
    connect_id: ConnectId
    display_name: str
