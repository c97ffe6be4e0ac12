"""Contacts in the top menu: Active contacts (the default page), Archived contacts."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from contacts_web.entrypoints.csrf import csrf_protected
from contacts_web.entrypoints.signed_in import SignedInDep
from contacts_web.entrypoints.templating import render

router = APIRouter(dependencies=[Depends(csrf_protected)], include_in_schema=False)
PAGE_SIZE = 50


@router.get("/contacts")
async def contacts_page(
    request: Request, user: SignedInDep,
    list_name: Annotated[Literal["active", "archived"], Query(alias="list")] = "active",
) -> Response:  # fmt: skip
    page = await user.platform.contacts.list_contacts(list_name, limit=PAGE_SIZE)
    return render(request, "contacts/list.html", section="contacts", list_name=list_name, page=page)
