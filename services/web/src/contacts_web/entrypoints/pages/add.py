"""Add Contacts: the seed's three ways, each with its words and a Next below it (phone
numbers, a ConnectID, a .CSV or .XLS file)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from contacts_web.entrypoints.browser.csrf import csrf_protected
from contacts_web.entrypoints.signed_in import SignedInDep
from contacts_web.entrypoints.templating import render

router = APIRouter(dependencies=[Depends(csrf_protected)], include_in_schema=False)


@router.get("/contacts/add")
async def add_contacts_page(request: Request, user: SignedInDep) -> Response:
    return render(request, "add/chooser.html", section="add")
