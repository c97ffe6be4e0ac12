"""/v1/contacts: the caller's contact lists, add by ConnectID, detail, archive, unarchive."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from contacts_messaging.api import (
    CallerDep,
    OutboxDep,
    connect_id_from,
    connection,
    transaction,
)
from contacts_servicekit.errors import ERROR_RESPONSES
from fastapi import APIRouter, Query, Request, Response

from contacts_service.domain.model import ListName
from contacts_service.entrypoints.add_grants import check_grant
from contacts_service.entrypoints.schemas import AddContact, ContactPage, ContactView, page_json
from contacts_service.handlers import contacts

router = APIRouter(prefix="/v1/contacts", tags=["contacts"], responses=ERROR_RESPONSES)


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
    points) or archived contacts, by display name, `limit` at a time."""
    async with connection(request) as conn:
        page = await contacts.list_contacts(conn, caller.user_id, list_name, q, cursor, limit)
    return Response(page_json(page), media_type="application/json")


@router.post("", status_code=201, response_model=ContactView)
async def add_contact(
    body: AddContact, request: Request, caller: CallerDep, outbox: OutboxDep
) -> ContactView:
    """Add a user by ConnectID (web and mobile) with the `add_token` of the directory's look-up
    of that ConnectID (422 `lookup_required` without one). A mistyped ConnectID is refused
    before anything else; yourself or an existing contact is 409."""
    wanted = connect_id_from(body.connect_id)
    await check_grant(request, body.add_token, caller.principal.user_id, wanted)
    async with transaction(request) as conn:
        added = await contacts.add_by_connect_id(
            conn, outbox, caller.event_context(), caller.user_id, wanted
        )
    return ContactView.of(added)


@router.get("/{contact_id}", response_model=ContactView)
async def read_contact(contact_id: UUID, request: Request, caller: CallerDep) -> ContactView:
    """One contact: profile, how and when it was added, archived or not, managed or not."""
    async with connection(request) as conn:
        return ContactView.of(await contacts.detail(conn, caller.user_id, contact_id))


@router.post("/{contact_id}/archive", response_model=ContactView)
async def archive(
    contact_id: UUID, request: Request, caller: CallerDep, outbox: OutboxDep
) -> ContactView:
    """Move a contact to Archived contacts (idempotent). Contacts managed by your company are
    refused with 409 `managed_by_company`."""
    async with transaction(request) as conn:
        contact = await contacts.set_archived(
            conn, outbox, caller.event_context(), caller.user_id, contact_id, True
        )
    return ContactView.of(contact)


@router.post("/{contact_id}/unarchive", response_model=ContactView)
async def unarchive(
    contact_id: UUID, request: Request, caller: CallerDep, outbox: OutboxDep
) -> ContactView:
    """Move a contact back to Active contacts (idempotent)."""
    async with transaction(request) as conn:
        contact = await contacts.set_archived(
            conn, outbox, caller.event_context(), caller.user_id, contact_id, False
        )
    return ContactView.of(contact)
