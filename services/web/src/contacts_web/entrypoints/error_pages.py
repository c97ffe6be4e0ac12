"""What the browser sees when something goes wrong: words, never a stack trace or JSON.

htmx requests get the words as a small alert, swapped into the page's alert region
(`HX-Retarget: #alerts`), so the page the user was working on stays as it was."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import structlog
from contacts_client import ApiError, Unauthorized
from contacts_servicekit.body_limit import BodyTooLarge
from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from contacts_web.entrypoints.browser.cookie import browser_cookie
from contacts_web.entrypoints.browser.csrf import CsrfRefused
from contacts_web.entrypoints.redirects import go_to
from contacts_web.entrypoints.signed_in import SignInRequired
from contacts_web.entrypoints.templating import is_htmx, render
from contacts_web.entrypoints.words.i18n import gettext as _
from contacts_web.entrypoints.words.refusals import refusal_words

log = structlog.get_logger(__name__)


def error_page(request: Request, status: int, title: str, detail: str) -> Response:
    if is_htmx(request):
        headers = {"HX-Retarget": "#alerts", "HX-Reswap": "innerHTML"}
        response = render(request, "partials/alert.html", status, tone="error", message=detail)
        response.headers.update(headers)
        return response
    return render(request, "error.html", status, title=title, detail=detail)


def install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def sign_in_required(request: Request, _error: Exception) -> Response:
        return go_to(request, _sign_in_then_back(request))

    @app.exception_handler(Unauthorized)
    async def session_refused(request: Request, _error: Exception) -> Response:
        await request.app.state.sessions.delete(browser_cookie(request).secret)
        browser_cookie(request).rotate()
        return go_to(request, _sign_in_then_back(request))

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, error: Exception) -> Response:
        log.warning("web.csrf_refused", reason=str(error), path=request.url.path)
        detail = _(
            "This form has expired or did not come from this site. Reload the page and try again."
        )
        return error_page(request, 403, _("Form expired"), detail)

    @app.exception_handler(ApiError)
    async def platform_refused(request: Request, error: Exception) -> Response:
        assert isinstance(error, ApiError)
        if error.status >= 500:
            return _unavailable(request)
        return error_page(request, error.status, _("Not possible"), refusal_words(error))

    @app.exception_handler(httpx.TransportError)
    async def platform_unreachable(request: Request, error: Exception) -> Response:
        log.warning("web.platform_unreachable", error=repr(error))
        return _unavailable(request)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        if error.status_code == 404:
            return error_page(
                request, 404, _("Page not found"), _("There is no page at this address.")
            )
        return error_page(request, error.status_code, _("Not possible"), str(error.detail))


async def body_too_large(request: Request, error: Exception) -> Response:
    """413 in words: a form or a file over the app's limits (settings.py)."""
    assert isinstance(error, BodyTooLarge)
    size = format_size(error.limit)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        detail = _("This file is larger than %(size)s, the largest this site accepts.") % {
            "size": size
        }
    else:
        detail = _(
            "This is more than the %(size)s a form can send. For a long list of numbers, add them with a .CSV or .XLS file."
        ) % {"size": size}
    return error_page(request, 413, _("Too large"), detail)


def format_size(size: int) -> str:
    """1,048,576 -> "1 MB" in the reader's language."""
    units = ((1024**3, _("%(n)s GB")), (1024**2, _("%(n)s MB")), (1024, _("%(n)s KB")))
    for bytes_in_unit, words in units:
        if size >= bytes_in_unit:
            return words % {"n": f"{size / bytes_in_unit:.3g}"}
    return _("%(n)s bytes") % {"n": size}


def _unavailable(request: Request) -> Response:
    detail = _("The service is busy or unavailable right now. Please try again in a moment.")
    return error_page(request, 503, _("Service unavailable"), detail)


def _sign_in_then_back(request: Request) -> str:
    if request.method == "GET" and not is_htmx(request):
        return f"/sign-in?next={quote(request.url.path)}"
    return "/sign-in"
