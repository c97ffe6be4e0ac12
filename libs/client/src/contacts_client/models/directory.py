"""ConnectID look-ups, companies and their contact points (directory)."""

from __future__ import annotations

from uuid import UUID

from contacts_client.models.base import Model


class PublicProfile(Model):
    """A user's or contact point's public profile: never a phone number or an email."""

    connect_id: str
    display_name: str
    company_name: str | None
    is_contact_point: bool


class LookedUp(PublicProfile):
    """A look-up's answer, with the grant to add the profile as a contact (10 minutes)."""

    add_token: str


class Company(Model):
    company_id: UUID
    name: str


class ContactPoint(Model):
    contact_point_id: UUID
    company_id: UUID
    connect_id: str
    display_name: str
