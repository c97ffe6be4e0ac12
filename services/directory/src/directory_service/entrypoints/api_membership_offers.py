"""/v1/users/me/membership-offers: the caller's offers to join a company, and their answers."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contacts_messaging.api import unit_of_work
from contacts_servicekit.openapi_conventions import problems
from contacts_servicekit.pagination import PageCursor, PageLimit, decode_cursor, next_cursor
from contacts_servicekit.web.requests import CallerDep
from fastapi import APIRouter, Request

from directory_service.adapters.company_work import PostgresCompaniesWork
from directory_service.entrypoints.offer_schemas import MembershipOfferPage, MembershipOfferView
from directory_service.handlers import membership_offers

router = APIRouter(prefix="/v1/users/me/membership-offers", tags=["membership offers"])
_ANSWERED = problems(
    (404, "You have no such membership offer (`offer_not_found`)"),
    (409, "Closed (`offer_closed`), or you belong to another company"),
)


@router.get("", response_model=MembershipOfferPage)
async def list_membership_offers(
    request: Request, caller: CallerDep, cursor: PageCursor = None, limit: PageLimit = 50
) -> MembershipOfferPage:
    """The caller's pending offers, oldest first, `limit` at a time: which company, who
    offered, until when."""
    after = decode_cursor(cursor, datetime.fromisoformat, UUID) if cursor else None
    async with unit_of_work(request, PostgresCompaniesWork, caller.event_context()) as work:
        offers = await membership_offers.pending(work, caller.user_id, after, limit + 1)
    return MembershipOfferPage(
        items=[MembershipOfferView.of(offer) for offer in offers[:limit]],
        next_cursor=next_cursor(offers, limit, lambda o: (o.offered_at.isoformat(), o.offer_id)),
    )


@router.post("/{offer_id}/accept", response_model=MembershipOfferView, responses=_ANSWERED)
async def accept_membership_offer(
    offer_id: UUID, request: Request, caller: CallerDep
) -> MembershipOfferView:
    """Join the company. 409 `member_of_another_company` while the caller belongs to another
    (the offer stays pending); 409 `offer_closed` once declined, withdrawn or expired.
    Accepting again is harmless."""
    async with unit_of_work(request, PostgresCompaniesWork, caller.event_context()) as work:
        offer = await membership_offers.accept(work, caller.user_id, offer_id)
    return MembershipOfferView.of(offer)


@router.post("/{offer_id}/decline", response_model=MembershipOfferView, responses=_ANSWERED)
async def decline_membership_offer(
    offer_id: UUID, request: Request, caller: CallerDep
) -> MembershipOfferView:
    """Say no: the caller does not join. Declining again is harmless; 409 `offer_closed` once
    accepted, withdrawn or expired."""
    async with unit_of_work(request, PostgresCompaniesWork, caller.event_context()) as work:
        offer = await membership_offers.decline(work, caller.user_id, offer_id)
    return MembershipOfferView.of(offer)
