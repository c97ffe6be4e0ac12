"""Results and refusals in words, in the page's live region (`#alerts`), after an htmx swap.

A refusal the reader can act on (a limit, a contact the company manages) is answered 200 for
htmx: an error status would make htmx log an error in the console, and the words are the
answer. Pages without htmx show the same words at the top of the page they get."""

from __future__ import annotations

from typing import Literal

from contacts_client import ApiError
from fastapi import Request
from fastapi.responses import HTMLResponse

from contacts_web.entrypoints.templating import render

Tone = Literal["success", "error", "info"]


def alert_only(request: Request, message: str, tone: Tone = "error") -> HTMLResponse:
    """Only the words, swapped into `#alerts`; the part of the page htmx targeted stays."""
    response = render(request, "partials/alert.html", tone=tone, message=message)
    response.headers.update({"HX-Retarget": "#alerts", "HX-Reswap": "innerHTML"})
    return response


def answerable(error: ApiError) -> bool:
    """A refusal to show in words beside the page; the others (a session that ended, a service
    failing) go to the app's error pages."""
    return 400 <= error.status < 500 and error.status != 401
