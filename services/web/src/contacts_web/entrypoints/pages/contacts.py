"""Contacts in the top menu: Active contacts (the default page) and Archived contacts, searched
by the start of a name and walked page by page (the contacts API's `list_contacts`).

htmx asks for the list alone (a search as the reader types, the next page): it gets the list
and its count, nothing else of the page. Without JavaScript the same addresses are pages."""

from __future__ import annotations

from typing import Annotated, Any

from contacts_client import Contact, Page
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from contacts_web.domain.contact_lists import ListName, ListView
from contacts_web.domain.contact_profile import added_via, managed_by
from contacts_web.entrypoints.browser.csrf import csrf_protected
from contacts_web.entrypoints.signed_in import SignedInDep, SignedInUser
from contacts_web.entrypoints.templating import is_htmx, render
from contacts_web.entrypoints.words.formats import FORMATS

router = APIRouter(dependencies=[Depends(csrf_protected)], include_in_schema=False)
PAGE_SIZE = 50
MAX_SEARCH = 100  # the contacts API's longest name prefix


def list_view(
    list_name: Annotated[str, Query(alias="list", max_length=20)] = "active",
    q: Annotated[str, Query(max_length=1000)] = "",
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
) -> ListView:
    """The list the address asks for; an unknown list name is the default one, a longer
    search is cut to what the API takes."""
    chosen: ListName = "archived" if list_name == "archived" else "active"
    return ListView(chosen, q.strip()[:MAX_SEARCH], cursor or None)


ListViewDep = Annotated[ListView, Depends(list_view)]


@router.get("/contacts")
async def contacts_page(request: Request, user: SignedInDep, view: ListViewDep) -> Response:
    page = await contacts_of(user, view)
    if is_htmx(request):
        return render(request, "contacts/results.html", view=view, page=page, oob=True, **FORMATS)
    return list_page(request, view, page)


async def contacts_of(user: SignedInUser, view: ListView) -> Page[Contact]:
    return await user.platform.contacts.list_contacts(
        view.list_name, search=view.q or None, cursor=view.cursor, limit=PAGE_SIZE
    )


def list_page(
    request: Request, view: ListView, page: Page[Contact], status_code: int = 200, **sidebar: Any
) -> HTMLResponse:
    """The whole page: the list, and in the sidebar the contact given (`contact`, with the
    result of a change in `message` and `tone`), if any."""
    context = {"contact": None, "message": None, "tone": "info", "focus_heading": False, **sidebar}
    return render(request, "contacts/list.html", status_code, section="contacts", view=view,
                  page=page, oob=False, **profile_words(), **FORMATS, **context)  # fmt: skip


def profile_words() -> dict[str, Any]:
    return {"added_via": added_via, "managed_by": managed_by}
