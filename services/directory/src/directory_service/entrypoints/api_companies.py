"""/v1/companies: companies (platform credentials), membership offers, members and contact points
(company admins)."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from uuid import UUID

from contacts_messaging.api import unit_of_work
from contacts_servicekit.openapi_conventions import created, problems
from contacts_servicekit.pagination import PageCursor, PageLimit, decode_cursor, next_cursor
from contacts_servicekit.web.idempotency import IdempotencyKey, IdempotentCall
from contacts_servicekit.web.requests import CallerDep
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from directory_service.adapters.company_work import PostgresCompaniesWork
from directory_service.domain.contact_details import display_name
from directory_service.entrypoints.offer_schemas import MembershipOfferView
from directory_service.entrypoints.refusals import STAFF_ONLY
from directory_service.entrypoints.schemas import (
    AddMember,
    CompanyView,
    ContactPointPage,
    ContactPointView,
    CreateCompany,
    CreateContactPoint,
)
from directory_service.handlers import companies, membership_offers

router = APIRouter(prefix="/v1/companies", tags=["companies"])
_NOT_VISIBLE = (404, "No company with this id is visible to you (`company_not_found`)")
_NOT_ADMIN = (403, "Only an admin of the company can do this (`not_company_admin`)")


@router.post(
    "",
    status_code=201,
    response_model=CompanyView,
    responses=created("/v1/companies/{company_id}") | problems(STAFF_ONLY),
)
async def create_company(
    body: CreateCompany, request: Request, caller: CallerDep, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    """Set up a company (platform credentials); then add its first admin as a member. With an
    `Idempotency-Key` a retry gets the first answer and creates nothing more."""
    caller.require_staff()
    name = display_name(body.name, "name")
    call = IdempotentCall.of(request, caller.principal.user_id, idempotency_key, body.model_dump())
    async with _work(request, caller) as work:
        if (earlier := await call.earlier_response(work.conn)) is not None:
            return earlier
        company = await companies.create(work, name)
        view = CompanyView(company_id=company.company_id, name=company.name)
        location = {"Location": f"/v1/companies/{company.company_id}"}
        return await call.respond(work.conn, 201, view.model_dump(mode="json"), location)


@router.get("/{company_id}", response_model=CompanyView, responses=problems(_NOT_VISIBLE))
async def read_company(company_id: UUID, request: Request, caller: CallerDep) -> CompanyView:
    """A company the caller belongs to (anyone else gets 404)."""
    async with _work(request, caller) as work:
        company = await companies.visible_company(
            work, company_id, _actor(caller), staff=caller.is_staff
        )
    return CompanyView(company_id=company.company_id, name=company.name)


@router.post(
    "/{company_id}/members",
    status_code=202,
    response_model=MembershipOfferView,
    responses={
        204: {"description": "platform credentials: added at once"},
        **problems(_NOT_ADMIN, (404, "No such company, or no active user has this id")),
    },
)
async def add_member(
    company_id: UUID, body: AddMember, request: Request, caller: CallerDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:  # fmt: skip
    """Ask a user to join, as member or admin (company admins): 202 with the pending offer,
    the same whatever the user's membership here or elsewhere; they join when they accept it.
    Platform credentials add the user at once (204), having collected the consent themselves.
    With an `Idempotency-Key` a retry gets the first answer and changes nothing more."""
    call = IdempotentCall.of(request, caller.principal.user_id, idempotency_key, body.model_dump(mode="json"))  # fmt: skip
    async with _work(request, caller) as work:
        if (earlier := await call.earlier_response(work.conn)) is not None:
            return earlier
        await companies.require_admin(work, company_id, _actor(caller), staff=caller.is_staff)
        if caller.is_staff:
            await companies.add_member(work, company_id, body.user_id, body.role)
            return await call.respond(work.conn, 204, None)
        offer = await membership_offers.offer(
            work, company_id, body.user_id, body.role, caller.user_id,
            request.app.state.membership_offer_lifetime,
        )  # fmt: skip
        view = MembershipOfferView.of(offer).model_dump(mode="json")
        return await call.respond(work.conn, 202, view)


@router.delete(
    "/{company_id}/membership-offers/{offer_id}",
    status_code=204,
    responses=problems(_NOT_ADMIN, (404, "No such company or offer"), (409, "Already answered")),
)
async def withdraw_membership_offer(
    company_id: UUID, offer_id: UUID, request: Request, caller: CallerDep
) -> Response:
    """Withdraw a pending membership offer (company admins). Withdrawing again is harmless;
    409 `offer_closed` once the user accepted or declined it or it expired."""
    async with _work(request, caller) as work:
        await companies.require_admin(work, company_id, _actor(caller), staff=caller.is_staff)
        await membership_offers.withdraw(work, company_id, offer_id)
    return Response(status_code=204)


@router.delete(
    "/{company_id}/members/{user_id}",
    status_code=204,
    responses=problems(_NOT_ADMIN, (404, "No such company or member"), (409, "The last admin")),
)
async def remove_member(
    company_id: UUID, user_id: UUID, request: Request, caller: CallerDep
) -> Response:
    """Remove a member (company admins), or leave the company (the member themself)."""
    async with _work(request, caller) as work:
        if caller.is_staff or user_id != caller.user_id:
            await companies.require_admin(work, company_id, _actor(caller), staff=caller.is_staff)
        await companies.remove_member(work, company_id, user_id)
    return Response(status_code=204)


@router.get(
    "/{company_id}/contact-points",
    response_model=ContactPointPage,
    responses=problems(_NOT_VISIBLE),
)
async def list_contact_points(
    company_id: UUID, request: Request, caller: CallerDep, cursor: PageCursor = None,
    limit: PageLimit = 50,
) -> ContactPointPage:  # fmt: skip
    """The company's shared contact points (its members), by name, `limit` at a time."""
    after = decode_cursor(cursor, str, UUID) if cursor else None
    async with _work(request, caller) as work:
        await companies.visible_company(work, company_id, _actor(caller), staff=caller.is_staff)
        points = await companies.list_contact_points(work, company_id, after, limit + 1)
    return ContactPointPage(
        items=[ContactPointView.of(p) for p in points[:limit]],
        next_cursor=next_cursor(points, limit, lambda p: (p.display_name, p.contact_point_id)),
    )


@router.post(
    "/{company_id}/contact-points",
    status_code=201,
    response_model=ContactPointView,
    responses={
        **created("/v1/companies/{company_id}/contact-points/{contact_point_id}"),
        **problems(_NOT_ADMIN, _NOT_VISIBLE),
    },
)
async def create_contact_point(
    company_id: UUID, body: CreateContactPoint, request: Request, caller: CallerDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:  # fmt: skip
    """Publish a shared contact point ("Reception") with its own ConnectID (company admins).
    With an `Idempotency-Key` a retry gets the first answer and creates nothing more."""
    name = display_name(body.display_name)
    call = IdempotentCall.of(request, caller.principal.user_id, idempotency_key, body.model_dump())
    async with _work(request, caller) as work:
        if (earlier := await call.earlier_response(work.conn)) is not None:
            return earlier
        await companies.require_admin(work, company_id, _actor(caller), staff=caller.is_staff)
        point = await companies.create_contact_point(work, company_id, name)
        view = ContactPointView.of(point).model_dump(mode="json")
        path = f"/v1/companies/{company_id}/contact-points/{point.contact_point_id}"
        return await call.respond(work.conn, 201, view, {"Location": path})


@router.delete(
    "/{company_id}/contact-points/{contact_point_id}",
    status_code=204,
    responses=problems(_NOT_ADMIN, (404, "No such company or contact point")),
)
async def remove_contact_point(
    company_id: UUID, contact_point_id: UUID, request: Request, caller: CallerDep
) -> Response:
    """Withdraw a contact point (company admins)."""
    async with _work(request, caller) as work:
        await companies.require_admin(work, company_id, _actor(caller), staff=caller.is_staff)
        await companies.remove_contact_point(work, company_id, contact_point_id)
    return Response(status_code=204)


def _work(
    request: Request, caller: CallerDep
) -> AbstractAsyncContextManager[PostgresCompaniesWork]:
    """The companies' unit of work in one transaction; its events carry the caller."""
    return unit_of_work(request, PostgresCompaniesWork, caller.event_context())


def _actor(caller: CallerDep) -> UUID:
    """The caller as a user id; platform staff need not be a user."""
    return caller.user_id if not caller.is_staff else UUID(int=0)
