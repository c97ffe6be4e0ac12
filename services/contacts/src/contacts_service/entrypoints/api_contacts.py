"""/v1/contacts: the caller's contact lists, add by ConnectID, detail, archive, unarchive."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from contacts_messaging.api import unit_of_work
from contacts_servicekit.openapi_conventions import created, problems
from contacts_servicekit.web.idempotency import IdempotencyKey, IdempotentCall
from contacts_servicekit.web.requests import CallerDep, connect_id_from, connection
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from contacts_service.adapters.unit_of_work import PostgresContactsWork
from contacts_service.domain.model import ListName
from contacts_service.entrypoints.add_grants import check_grant
from contacts_service.entrypoints.schemas import AddContact, ContactPage, ContactView, page_json
from contacts_service.handlers import contacts

router = APIRouter(prefix="/v1/contacts", tags=["contacts"])
_NOT_YOURS = (404, "You have no contact with this id (`contact_not_found`)")


@router.get("", response_model=ContactPage)
async def list_contacts(
    request: Request,
    caller: CallerDep,
    list_name: Annotated[ListName, Query(alias="list")] = ListName.ACTIVE,
    q: Annotated[str | None, Query(max_length=100, description="Name prefix")] = None,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Response:
    """Active contacts (the default: personal contacts plus the company's members and contact
    points) or archived contacts, by display name, `limit` at a time (`cursor`: the previous
    page's `next_cursor`; one the API did not make is 422 `bad_cursor`)."""
    async with connection(request) as conn:
        work = PostgresContactsWork(conn)
        page = await contacts.list_contacts(work, caller.user_id, list_name, q, cursor, limit)
    return Response(page_json(page), media_type="application/json")


@router.post(
    "",
    status_code=201,
    response_model=ContactView,
    responses={
        **created("/v1/contacts/{contact_id}", "Added"),
        **problems((404, "No user has this ConnectID"), (409, "Yourself or already a contact")),
    },
)
async def add_contact(
    body: AddContact, request: Request, caller: CallerDep, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    """Add a user by ConnectID (web and mobile) with the `add_token` of the directory's look-up
    of that ConnectID (422 `lookup_required` without one). A mistyped ConnectID is refused
    before anything else; yourself or an existing contact is 409. With an `Idempotency-Key`
    a retry gets the first answer and adds (and announces) nothing more."""
    wanted = connect_id_from(body.connect_id)
    call = IdempotentCall.of(request, caller.principal.user_id, idempotency_key, body.model_dump())
    async with unit_of_work(request, PostgresContactsWork, caller.event_context()) as work:
        if (earlier := await call.earlier_response(work.conn)) is not None:
            return earlier  # even once its add_token expired
        await check_grant(request, body.add_token, caller.principal.user_id, wanted)
        added = await contacts.add_by_connect_id(work, caller.user_id, wanted)
        view = ContactView.of(added)
        location = {"Location": f"/v1/contacts/{view.contact_id}"}
        return await call.respond(work.conn, 201, view.model_dump(mode="json"), location)


@router.get("/{contact_id}", response_model=ContactView, responses=problems(_NOT_YOURS))
async def read_contact(contact_id: UUID, request: Request, caller: CallerDep) -> ContactView:
    """One contact: profile, how and when it was added, archived or not, managed or not."""
    async with connection(request) as conn:
        work = PostgresContactsWork(conn)
        return ContactView.of(await contacts.detail(work, caller.user_id, contact_id))


@router.post(
    "/{contact_id}/archive",
    response_model=ContactView,
    responses=problems(_NOT_YOURS, (409, "Managed by your company (`managed_by_company`)")),
)
async def archive_contact(contact_id: UUID, request: Request, caller: CallerDep) -> ContactView:
    """Move a contact to Archived contacts (idempotent). Contacts managed by your company are
    refused with 409 `managed_by_company`."""
    async with unit_of_work(request, PostgresContactsWork, caller.event_context()) as work:
        contact = await contacts.set_archived(work, caller.user_id, contact_id, True)
    return ContactView.of(contact)


@router.post("/{contact_id}/unarchive", response_model=ContactView, responses=problems(_NOT_YOURS))
async def unarchive_contact(contact_id: UUID, request: Request, caller: CallerDep) -> ContactView:
    """Move a contact back to Active contacts (idempotent)."""
    async with unit_of_work(request, PostgresContactsWork, caller.event_context()) as work:
        contact = await contacts.set_archived(work, caller.user_id, contact_id, False)
    return ContactView.of(contact)
