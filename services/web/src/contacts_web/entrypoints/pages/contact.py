"""One contact, in the right-hand sidebar beside the list: the profile (`read_contact`) and the
Archived section, whose toggle moves the contact between Active and Archived contacts
(`archive_contact`, `unarchive_contact`) and says so in words.

With htmx, opening a contact fills the sidebar, and the toggle swaps it and asks the list to
load again (`HX-Trigger: contactsChanged`). Without JavaScript each is a whole page: the list
the reader came from, with the contact in the sidebar."""

from __future__ import annotations

from uuid import UUID

from contacts_client import ApiError, Contact
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from contacts_web.domain.contact_lists import ListView
from contacts_web.entrypoints.alerts import Tone, alert_only, answerable
from contacts_web.entrypoints.browser.csrf import csrf_protected
from contacts_web.entrypoints.pages.contacts import (
    ListViewDep,
    contacts_of,
    list_page,
    profile_words,
)
from contacts_web.entrypoints.signed_in import SignedInDep, SignedInUser
from contacts_web.entrypoints.templating import is_htmx, render
from contacts_web.entrypoints.words.formats import FORMATS
from contacts_web.entrypoints.words.i18n import gettext as _
from contacts_web.entrypoints.words.refusals import refusal_words

router = APIRouter(dependencies=[Depends(csrf_protected)], include_in_schema=False)
LIST_CHANGED = "contactsChanged"  # the list listens for it (templates/contacts/results.html)


@router.get("/contacts/{contact_id:uuid}")
async def contact_sidebar(
    request: Request, user: SignedInDep, contact_id: UUID, view: ListViewDep
) -> Response:
    contact = await user.platform.contacts.read_contact(contact_id)
    if is_htmx(request):
        return render(request, "contacts/sidebar.html", view=view, contact=contact,
                      focus_heading=True, **profile_words(), **FORMATS)  # fmt: skip
    return list_page(request, view, await contacts_of(user, view), contact=contact,
                     focus_heading=True)  # fmt: skip


@router.post("/contacts/{contact_id:uuid}/archive")
async def archive(request: Request, user: SignedInDep, contact_id: UUID, view: ListViewDep) -> Response:  # fmt: skip
    return await _toggle(request, user, contact_id, view, archived=True)


@router.post("/contacts/{contact_id:uuid}/unarchive")
async def unarchive(request: Request, user: SignedInDep, contact_id: UUID, view: ListViewDep) -> Response:  # fmt: skip
    return await _toggle(request, user, contact_id, view, archived=False)


async def _toggle(
    request: Request, user: SignedInUser, contact_id: UUID, view: ListView, archived: bool
) -> Response:
    """The Archived toggle: the contact as it is now, the result (or the refusal) in words."""
    contacts = user.platform.contacts
    change = contacts.archive_contact if archived else contacts.unarchive_contact
    tone: Tone = "success"
    try:
        contact = await change(contact_id)
        message = _result(contact)
    except ApiError as refused:
        if refused.status == 404 and is_htmx(request):
            return alert_only(request, refusal_words(refused))  # no longer in the lists
        if not answerable(refused) or refused.status == 404:
            raise  # a session that ended, a service failing: the error pages
        contact = await contacts.read_contact(contact_id)  # as it is now, the reason beside it
        message, tone = refusal_words(refused), "error"
    if not is_htmx(request):
        page = await contacts_of(user, view)
        return list_page(request, view, page, contact=contact, message=message, tone=tone)
    response = render(request, "contacts/toggled.html", view=view, contact=contact,
                      focus_heading=False, message=message, tone=tone,
                      **profile_words(), **FORMATS)  # fmt: skip
    if tone == "success":
        response.headers["HX-Trigger"] = LIST_CHANGED
    return response


def _result(contact: Contact) -> str:
    if contact.archived:
        return _("Contact archived: it is now in Archived contacts.")
    return _("Contact unarchived: it is back in Active contacts.")
