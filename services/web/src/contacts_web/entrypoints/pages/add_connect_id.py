"""Add Contact with ConnectID (the desktop flow, and the phone's Add new contact): type or
paste a ConnectID, Search shows its public profile, Add to contact adds it.

The search is a GET (`?connect_id=`), so a result has an address and the page works without
JavaScript; with htmx, Search and Add swap only the result region (a live region) and the
refusals come as words there, with status 200 for htmx (a 4xx would be an error to it)."""

from __future__ import annotations

from typing import Annotated, Any

from contacts_client import ApiError
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from contacts_web.entrypoints.browser.csrf import csrf_protected
from contacts_web.entrypoints.signed_in import SignedInDep
from contacts_web.entrypoints.templating import is_htmx, render
from contacts_web.entrypoints.words.refusals import refusal_words

router = APIRouter(dependencies=[Depends(csrf_protected)], include_in_schema=False)
ConnectIdText = Annotated[str, Form(max_length=40)]
AddToken = Annotated[str, Form(max_length=4000)]


@router.get("/contacts/add/connect-id")
async def connect_id_page(
    request: Request, user: SignedInDep,
    connect_id: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:  # fmt: skip
    """The form; with `connect_id`, the profile it finds (or why none) below it."""
    typed = (connect_id or "").strip()
    if not typed:
        return _result(request, typed)
    try:
        found = await user.platform.directory.look_up_connect_id(typed)
    except ApiError as refused:
        return _refused(request, typed, refused)
    return _result(request, typed, profile=found)


@router.post("/contacts/add/connect-id")
async def add_contact(
    request: Request, user: SignedInDep, connect_id: ConnectIdText, add_token: AddToken
) -> Response:
    try:
        added = await user.platform.contacts.add_contact(connect_id, add_token)
    except ApiError as refused:
        return _refused(request, connect_id, refused)
    return _result(request, "", added=added)


def _refused(request: Request, connect_id: str, refused: ApiError) -> Response:
    if refused.status >= 500:
        raise refused
    return _result(request, connect_id, refused.status, error=refusal_words(refused))


def _result(request: Request, connect_id: str, status: int = 200, **result: Any) -> Response:
    """The result region alone for htmx, else the whole page around it."""
    context = {"profile": None, "added": None, "error": None, **result}
    if is_htmx(request):
        return render(request, "add/lookup_result.html", **context)
    return render(
        request, "add/connect_id.html", status, section="add", connect_id=connect_id, **context
    )
