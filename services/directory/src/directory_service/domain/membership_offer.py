"""Membership offers: joining a company needs the user's consent, so a company admin's add is
an offer that the user accepts or declines, the admin withdraws, or time ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum, StrEnum
from uuid import UUID


class OfferStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


@dataclass(frozen=True)
class MembershipOffer:
    offer_id: UUID
    company_id: UUID
    company_name: str
    user_id: UUID
    role: str
    offered_by_name: str
    status: OfferStatus
    offered_at: datetime
    expires_at: datetime


class Step(Enum):
    """What answering an offer (accept, decline, withdraw) does, given its status now."""

    APPLY = "apply"  # the offer is pending: make the change
    ALREADY_DONE = "already_done"  # the same answer was given before: a harmless repeat
    CLOSED = "closed"  # it ended otherwise: too late for this answer


def step_towards(current: OfferStatus, answer: OfferStatus) -> Step:
    """Only a pending offer changes; repeating the answer that closed it changes nothing, so
    clients may retry safely."""
    if current is OfferStatus.PENDING:
        return Step.APPLY
    if current is answer:
        return Step.ALREADY_DONE
    return Step.CLOSED
