"""Users and their membership offers (directory)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contacts_client.models.base import Model


class User(Model):
    user_id: UUID
    connect_id: str
    display_name: str
    phone: str
    email: str | None
    company_id: UUID | None
    company_role: str | None  # "member" or "admin"
    created_at: datetime


class MembershipOffer(Model):
    """An offer to join a company, as its admin made it and the user answers it."""

    offer_id: UUID
    company_id: UUID
    company_name: str
    user_id: UUID
    role: str  # the role the user gets by accepting: "member" or "admin"
    offered_by_name: str
    status: str  # pending, accepted, declined, withdrawn, expired
    offered_at: datetime
    expires_at: datetime
