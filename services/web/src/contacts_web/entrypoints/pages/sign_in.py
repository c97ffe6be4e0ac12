"""Sign-in and sign-up by phone number and one-time code; sign-up from an invitation link.

One form for both: a number the platform does not know signs up, and the code page then asks
for the new user's name (the directory answers `display_name_required`; the code stays
usable). An invitation's link (`/invite/{token}`) opens the same form carrying the token, so
the new user starts with the inviter in their contacts."""

from __future__ import annotations

import contextlib
import re
from datetime import timedelta
from typing import Annotated, Any

import httpx
from contacts_client import ApiError, Invalid, RateLimited
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from contacts_web.entrypoints.browser.cookie import browser_cookie
from contacts_web.entrypoints.browser.csrf import csrf_protected
from contacts_web.entrypoints.error_pages import error_page
from contacts_web.entrypoints.redirects import go_to, local_path
from contacts_web.entrypoints.signed_in import platform_for
from contacts_web.entrypoints.templating import render
from contacts_web.entrypoints.words.i18n import gettext as _
from contacts_web.entrypoints.words.refusals import refusal_words
from contacts_web.handlers.sessions import start_session

router = APIRouter(dependencies=[Depends(csrf_protected)], include_in_schema=False)
_INVITATION_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,200}$")
Text = Annotated[str, Form(max_length=200)]
OptionalText = Annotated[str | None, Form(max_length=200)]


@router.get("/")
async def home() -> Response:
    return RedirectResponse("/contacts", status_code=303)


@router.get("/sign-in")
async def sign_in_page(
    request: Request, next: Annotated[str | None, Query(max_length=500)] = None
) -> Response:
    return render(
        request, "sign_in/phone.html", next=local_path(next), invitation=None, phone="", error=None
    )


@router.get("/invite/{token}")
async def invitation_page(request: Request, token: str) -> Response:
    if not _INVITATION_TOKEN.match(token):
        return error_page(
            request,
            404,
            _("Invitation not found"),
            _("This invitation link is not valid. Check that you opened the whole link."),
        )
    return render(
        request, "sign_in/phone.html", next=local_path(None), invitation=token, phone="", error=None
    )


@router.post("/sign-in")
async def send_code(
    request: Request, phone: Text, next: OptionalText = None, invitation: OptionalText = None
) -> Response:
    context: dict[str, Any] = {
        "next": local_path(next),
        "invitation": _token_or_none(invitation),
        "phone": phone,
    }
    try:
        sent = await platform_for(request).auth.request_sign_in_code(phone.strip())
    except (Invalid, RateLimited) as refused:
        return render(
            request,
            "sign_in/phone.html",
            422 if isinstance(refused, Invalid) else 429,
            error=refusal_words(refused),
            **context,
        )
    return render(
        request,
        "sign_in/code.html",
        **context,
        minutes=max(1, sent.expires_in // 60),
        ask_name=False,
        display_name="",
        code="",
        name_error=None,
        error=None,
    )


@router.post("/sign-in/code")
async def check_code(
    request: Request, phone: Text, code: Annotated[str, Form(max_length=12)],
    display_name: OptionalText = None, next: OptionalText = None, invitation: OptionalText = None,
) -> Response:  # fmt: skip
    context = {
        "next": local_path(next),
        "invitation": _token_or_none(invitation),
        "phone": phone,
        "minutes": None,
    }
    name = (display_name or "").strip() or None
    try:
        signed_in = await platform_for(request).auth.sign_in(
            phone.strip(), code.strip(), display_name=name, invitation_token=context["invitation"]
        )
    except ApiError as refused:
        if refused.status >= 500:
            raise
        asks_name = refused.error == "display_name_required"
        words = None if asks_name and name is None else refusal_words(refused)
        on_name = refused.field == "display_name" or refused.error.startswith("name_")
        return render(
            request, "sign_in/code.html", 200 if words is None else refused.status, **context,
            ask_name=asks_name or name is not None, display_name=name or "", code=code,
            name_error=words if on_name else None, error=None if on_name else words,
        )  # fmt: skip
    lifetime = timedelta(days=request.app.state.settings.session_days)
    browser_cookie(request).secret = await start_session(
        request.app.state.sessions, signed_in, lifetime
    )
    browser_cookie(request).changed = True
    return go_to(request, local_path(next))


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    cookie = browser_cookie(request)
    session = await request.app.state.sessions.read(cookie.secret)
    if session is not None:
        await request.app.state.sessions.delete(cookie.secret)
        # the directory's session also ends with its refresh token's lifetime: a failure here
        # leaves nothing usable behind (the browser no longer holds the token)
        with contextlib.suppress(ApiError, httpx.TransportError):
            await platform_for(request).auth.sign_out(session.refresh_token)
    cookie.rotate()
    return go_to(request, "/sign-in")


def _token_or_none(token: str | None) -> str | None:
    return token if token and _INVITATION_TOKEN.match(token) else None
