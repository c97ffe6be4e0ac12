"""Response body of the membership offer endpoints (the admin's and the user's)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contacts_events import CompanyRole
from pydantic import BaseModel, Field

from directory_service.domain.membership_offer import MembershipOffer, OfferStatus


class MembershipOfferView(BaseModel):
    """An offer to join a company. Its content never depends on the user's membership of
    another company, so an admin learns nothing about other companies from it."""

    offer_id: UUID
    company_id: UUID
    company_name: str
    user_id: UUID = Field(description="The user asked to join.")
    role: CompanyRole = Field(description="The role the user gets by accepting.")
    offered_by_name: str = Field(description="Display name of the admin who made the offer.")
    status: OfferStatus
    offered_at: datetime
    expires_at: datetime

    @classmethod
    def of(cls, offer: MembershipOffer) -> MembershipOfferView:
        return cls(
            offer_id=offer.offer_id, company_id=offer.company_id, company_name=offer.company_name,
            user_id=offer.user_id, role=CompanyRole(offer.role),
            offered_by_name=offer.offered_by_name, status=offer.status,
            offered_at=offer.offered_at, expires_at=offer.expires_at,
        )  # fmt: skip


class MembershipOfferPage(BaseModel):
    items: list[MembershipOfferView]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )
