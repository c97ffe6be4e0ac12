"""/v1/users/me/membership-offers: the caller's offers to join a company, and their answers."""

from __future__ import annotations

from uuid import UUID

from contacts_messaging.api import CallerDep, OutboxDep, transaction
from contacts_servicekit.errors import ERROR_RESPONSES
from fastapi import APIRouter, Request

from directory_service.entrypoints.offer_schemas import MembershipOfferView
from directory_service.handlers import membership_offers

router = APIRouter(prefix="/v1/users/me/membership-offers", tags=["membership offers"])


@router.get("", response_model=list[MembershipOfferView], responses=ERROR_RESPONSES)
async def list_offers(request: Request, caller: CallerDep) -> list[MembershipOfferView]:
    """The caller's pending offers, oldest first: which company, who offered, until when."""
    async with transaction(request) as conn:
        offers = await membership_offers.pending(conn, caller.user_id)
    return [MembershipOfferView.of(offer) for offer in offers]


@router.post("/{offer_id}/accept", response_model=MembershipOfferView, responses=ERROR_RESPONSES)
async def accept_offer(
    offer_id: UUID, request: Request, caller: CallerDep, outbox: OutboxDep
) -> MembershipOfferView:
    """Join the company. 409 `member_of_another_company` while the caller belongs to another
    (the offer stays pending); 409 `offer_closed` once declined, withdrawn or expired.
    Accepting again is harmless."""
    async with transaction(request) as conn:
        offer = await membership_offers.accept(
            conn, outbox, caller.event_context(), caller.user_id, offer_id
        )
    return MembershipOfferView.of(offer)


@router.post("/{offer_id}/decline", response_model=MembershipOfferView, responses=ERROR_RESPONSES)
async def decline_offer(
    offer_id: UUID, request: Request, caller: CallerDep, outbox: OutboxDep
) -> MembershipOfferView:
    """Say no: the caller does not join. Declining again is harmless; 409 `offer_closed` once
    accepted, withdrawn or expired."""
    async with transaction(request) as conn:
        offer = await membership_offers.decline(
            conn, outbox, caller.event_context(), caller.user_id, offer_id
        )
    return MembershipOfferView.of(offer)
