"""/v1/companies: companies (platform credentials), membership offers, members and contact points
(company admins)."""

from __future__ import annotations

from uuid import UUID

from contacts_messaging.api import CallerDep, OutboxDep, transaction
from contacts_servicekit.errors import ERROR_RESPONSES
from fastapi import APIRouter, Request, Response

from directory_service.domain.contact_details import display_name
from directory_service.entrypoints.offer_schemas import MembershipOfferView
from directory_service.entrypoints.schemas import (
    AddMember,
    CompanyView,
    ContactPointView,
    CreateCompany,
    CreateContactPoint,
)
from directory_service.handlers import companies, membership_offers

router = APIRouter(prefix="/v1/companies", tags=["companies"])


@router.post("", status_code=201, response_model=CompanyView, responses=ERROR_RESPONSES)
async def create_company(
    body: CreateCompany, request: Request, caller: CallerDep, outbox: OutboxDep
) -> CompanyView:
    """Set up a company (platform credentials); then add its first admin as a member."""
    caller.require_staff()
    name = display_name(body.name, "name")
    async with transaction(request) as conn:
        company = await companies.create(conn, outbox, caller.event_context(), name)
    return CompanyView(company_id=company.company_id, name=company.name)


@router.get("/{company_id}", response_model=CompanyView, responses=ERROR_RESPONSES)
async def read_company(company_id: UUID, request: Request, caller: CallerDep) -> CompanyView:
    """A company the caller belongs to (anyone else gets 404)."""
    async with transaction(request) as conn:
        company = await companies.visible_company(
            conn, company_id, caller.user_id, staff=caller.is_staff
        )
    return CompanyView(company_id=company.company_id, name=company.name)


@router.post(
    "/{company_id}/members",
    status_code=202,
    response_model=MembershipOfferView,
    responses={**ERROR_RESPONSES, 204: {"description": "platform credentials: added at once"}},
)
async def add_member(
    company_id: UUID, body: AddMember, request: Request, caller: CallerDep, outbox: OutboxDep
) -> MembershipOfferView | Response:
    """Ask a user to join, as member or admin (company admins): 202 with the pending offer,
    the same whatever the user's membership here or elsewhere; they join when they accept it.
    Platform credentials add the user at once (204), having collected the consent themselves."""
    async with transaction(request) as conn:
        await companies.require_admin(conn, company_id, _actor(caller), staff=caller.is_staff)
        if caller.is_staff:
            await companies.add_member(
                conn, outbox, caller.event_context(), company_id, body.user_id, body.role
            )
            return Response(status_code=204)
        offer = await membership_offers.offer(
            conn, outbox, caller.event_context(), company_id, body.user_id, body.role,
            caller.user_id, request.app.state.membership_offer_lifetime,
        )  # fmt: skip
    return MembershipOfferView.of(offer)


@router.delete(
    "/{company_id}/membership-offers/{offer_id}", status_code=204, responses=ERROR_RESPONSES
)
async def withdraw_offer(
    company_id: UUID, offer_id: UUID, request: Request, caller: CallerDep, outbox: OutboxDep
) -> Response:
    """Withdraw a pending membership offer (company admins). Withdrawing again is harmless;
    409 `offer_closed` once the user accepted or declined it or it expired."""
    async with transaction(request) as conn:
        await companies.require_admin(conn, company_id, _actor(caller), staff=caller.is_staff)
        await membership_offers.withdraw(conn, outbox, caller.event_context(), company_id, offer_id)
    return Response(status_code=204)


@router.delete("/{company_id}/members/{user_id}", status_code=204, responses=ERROR_RESPONSES)
async def remove_member(
    company_id: UUID, user_id: UUID, request: Request, caller: CallerDep, outbox: OutboxDep
) -> Response:
    """Remove a member (company admins), or leave the company (the member themself)."""
    async with transaction(request) as conn:
        if caller.is_staff or user_id != caller.user_id:
            await companies.require_admin(conn, company_id, _actor(caller), staff=caller.is_staff)
        await companies.remove_member(conn, outbox, caller.event_context(), company_id, user_id)
    return Response(status_code=204)


@router.get(
    "/{company_id}/contact-points", response_model=list[ContactPointView], responses=ERROR_RESPONSES
)
async def list_contact_points(
    company_id: UUID, request: Request, caller: CallerDep
) -> list[ContactPointView]:
    """The company's shared contact points (its members)."""
    async with transaction(request) as conn:
        await companies.visible_company(conn, company_id, _actor(caller), staff=caller.is_staff)
        points = await companies.list_contact_points(conn, company_id)
    return [ContactPointView.of(p) for p in points]


@router.post(
    "/{company_id}/contact-points",
    status_code=201,
    response_model=ContactPointView,
    responses=ERROR_RESPONSES,
)
async def create_contact_point(
    company_id: UUID,
    body: CreateContactPoint,
    request: Request,
    caller: CallerDep,
    outbox: OutboxDep,
) -> ContactPointView:
    """Publish a shared contact point ("Reception") with its own ConnectID (company admins)."""
    name = display_name(body.display_name)
    async with transaction(request) as conn:
        await companies.require_admin(conn, company_id, _actor(caller), staff=caller.is_staff)
        point = await companies.create_contact_point(
            conn, outbox, caller.event_context(), company_id, name
        )
    return ContactPointView.of(point)


@router.delete(
    "/{company_id}/contact-points/{contact_point_id}", status_code=204, responses=ERROR_RESPONSES
)
async def remove_contact_point(
    company_id: UUID, contact_point_id: UUID, request: Request, caller: CallerDep, outbox: OutboxDep
) -> Response:
    """Withdraw a contact point (company admins)."""
    async with transaction(request) as conn:
        await companies.require_admin(conn, company_id, _actor(caller), staff=caller.is_staff)
        await companies.remove_contact_point(
            conn, outbox, caller.event_context(), company_id, contact_point_id
        )
    return Response(status_code=204)


def _actor(caller: CallerDep) -> UUID:
    """The caller as a user id; platform staff need not be a user."""
    return caller.user_id if not caller.is_staff else UUID(int=0)
