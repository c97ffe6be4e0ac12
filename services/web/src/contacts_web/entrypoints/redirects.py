"""Where to send the browser next, and how (a full page, or htmx told to load one)."""

from __future__ import annotations

import re

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from contacts_web.entrypoints.templating import is_htmx

_LOCAL_PATH = re.compile(r"^/(?![/\\])[A-Za-z0-9/_.~%?=&+-]{0,500}$")
HOME = "/contacts"


def local_path(candidate: str | None, default: str = HOME) -> str:
    """`candidate` when it is a path of this site (never `//other.site` or a full URL)."""
    return candidate if candidate and _LOCAL_PATH.match(candidate) else default


def go_to(request: Request, path: str) -> Response:
    """303 to `path`; for htmx, 200 with HX-Redirect (htmx follows it as a full page load)."""
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": path})
    return RedirectResponse(path, status_code=303)
