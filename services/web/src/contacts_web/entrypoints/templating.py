"""Pages from Jinja2 templates: autoescaped (a user's name is always text, never markup),
translated (`{% trans %}`, `_()`), with what every page needs in its context."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from contacts_web.entrypoints.browser.cookie import browser_cookie
from contacts_web.entrypoints.words import i18n

environment = Environment(
    loader=PackageLoader("contacts_web", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
environment.globals["languages"] = i18n.LANGUAGE_NAMES
environment.filters["number"] = i18n.format_number


def is_htmx(request: Request) -> bool:
    """True for a request htmx sent (it swaps a part of the page, not all of it)."""
    return (
        request.headers.get("hx-request") == "true"
        and "hx-history-restore-request" not in request.headers
    )


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """The page (or, for htmx, the fragment) `template` with the page's common context:
    `user` (the signed-in session or None), `csrf_token`, `lang`, `path`, `htmx`."""
    common = {
        "request": request,
        "user": getattr(request.state, "session", None),
        "csrf_token": _csrf_token(request),
        "lang": i18n.current_language(),
        "path": request.url.path,
        "htmx": is_htmx(request),
        "section": None,  # the menu entry to mark as current: "contacts", "invitations", "add"
    }
    html = environment.get_template(template).render({**common, **context})
    return HTMLResponse(html, status_code=status_code)


def _csrf_token(request: Request) -> str:
    """The session's token ("" on the paths that carry no session cookie: probes, assets)."""
    if getattr(request.state, "browser", None) is None:
        return ""
    return browser_cookie(request).secret.csrf_token
