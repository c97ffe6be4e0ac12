"""Pending invitations (a tab of Contacts; "Invitations" in the phone's bottom menu): the
user's invitations still waiting for an answer (`list_invitations`), each with **Resend**
(`resend_invitation`) and the cross icon to delete it (`delete_invitation`) after a
confirmation step: a form, no script dialog.

With htmx each action swaps its own row (`#invitation-<id>`) and says what happened in the
page's live region; a refusal (the cool-down, the daily cap) says when to try again. Without
JavaScript each is a page."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from contacts_client import ApiError, Invitation
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from contacts_web.domain.invitation_words import channel, sending
from contacts_web.entrypoints.alerts import Tone, alert_only, answerable
from contacts_web.entrypoints.browser.csrf import csrf_protected
from contacts_web.entrypoints.redirects import go_to
from contacts_web.entrypoints.signed_in import SignedInDep, SignedInUser
from contacts_web.entrypoints.templating import is_htmx, render
from contacts_web.entrypoints.words.formats import FORMATS
from contacts_web.entrypoints.words.i18n import gettext as _
from contacts_web.entrypoints.words.refusals import refusal_words
from contacts_web.handlers.pending_invitations import pending_invitation

router = APIRouter(dependencies=[Depends(csrf_protected)], include_in_schema=False)
PAGE_SIZE = 50
Cursor = Annotated[str | None, Query(max_length=1000)]
ROW = "/invitations/{invitation_id:uuid}"


@router.get("/invitations")
async def invitations_page(request: Request, user: SignedInDep, cursor: Cursor = None) -> Response:
    return await _list_page(request, user, cursor)


@router.get(ROW)
async def invitation_row(request: Request, user: SignedInDep, invitation_id: UUID) -> Response:
    """The row as it was (Cancel of the delete step)."""
    if not is_htmx(request):
        return go_to(request, "/invitations")
    try:
        invitation = await pending_invitation(user.platform, invitation_id)
    except ApiError as refused:
        return await _refused(request, user, refused)
    return _render_row(request, "invitations/row.html", invitation)


@router.get(ROW + "/delete")
async def confirm_delete(request: Request, user: SignedInDep, invitation_id: UUID) -> Response:
    """The cross icon: "Delete the invitation to ...?", Delete or Cancel."""
    try:
        invitation = await pending_invitation(user.platform, invitation_id)
    except ApiError as refused:
        return await _refused(request, user, refused)
    if is_htmx(request):
        return _render_row(request, "invitations/confirm_row.html", invitation)
    return render(request, "invitations/confirm_page.html", section="invitations",
                  invitation=invitation)  # fmt: skip


@router.post(ROW + "/delete")
async def delete(request: Request, user: SignedInDep, invitation_id: UUID) -> Response:
    try:
        invitation = await pending_invitation(user.platform, invitation_id)
        await user.platform.invitations.delete_invitation(invitation_id)
    except ApiError as refused:
        return await _refused(request, user, refused)
    message = _("The invitation to %(destination)s was deleted.") % {
        "destination": invitation.destination
    }
    if is_htmx(request):  # the row is swapped for nothing: it goes
        return render(request, "partials/oob_alert.html", tone="success", message=message)
    return await _list_page(request, user, message=message, tone="success")


@router.post(ROW + "/resend")
async def resend(request: Request, user: SignedInDep, invitation_id: UUID) -> Response:
    try:
        invitation = await user.platform.invitations.resend_invitation(invitation_id)
    except ApiError as refused:
        return await _refused(request, user, refused)
    message = _("The invitation to %(destination)s is being sent again.") % {
        "destination": invitation.destination
    }
    if is_htmx(request):
        return _render_row(request, "invitations/resent.html", invitation, message=message)
    return await _list_page(request, user, message=message, tone="success")


async def _refused(request: Request, user: SignedInUser, refused: ApiError) -> Response:
    """The refusal in words: for htmx, in the live region (an invitation no longer pending
    leaves the list); without JavaScript, on the list's page."""
    if not answerable(refused):
        raise refused
    words = refusal_words(refused)
    if is_htmx(request) and refused.status == 404:
        return render(request, "partials/oob_alert.html", tone="error", message=words)
    if is_htmx(request):
        return alert_only(request, words)
    return await _list_page(request, user, message=words, tone="error", status_code=refused.status)


async def _list_page(
    request: Request, user: SignedInUser, cursor: str | None = None, message: str | None = None,
    tone: Tone = "info", status_code: int = 200,
) -> Response:  # fmt: skip
    page = await user.platform.invitations.list_invitations(cursor=cursor, limit=PAGE_SIZE)
    return render(request, "invitations/list.html", status_code, section="invitations",
                  page=page, cursor=cursor, message=message, tone=tone, **_words())  # fmt: skip


def _render_row(request: Request, template: str, invitation: Invitation, **context: Any) -> Response:  # fmt: skip
    return render(request, template, invitation=invitation, tone="success", **context, **_words())


def _words() -> dict[str, Any]:
    return {"channel": channel, "sending": sending, **FORMATS}
