"""CSRF protection of every form and every htmx request that changes something.

An unsafe request (POST, PUT, PATCH, DELETE) must carry the session's CSRF token, in the
`X-CSRF-Token` header (htmx sends it on every request: `hx-headers` on the page's body) or the
`csrf_token` form field, and, when the browser says where it comes from (`Origin`), come from
this origin. The token is an HMAC of the session cookie's secret (domain/session_secret.py):
another site can neither read nor compute it.
"""

from __future__ import annotations

from fastapi import Request

from contacts_web.entrypoints.browser.cookie import browser_cookie

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"


class CsrfRefused(Exception):
    """The request did not prove it comes from one of this app's own pages."""


async def csrf_protected(request: Request) -> None:
    """A dependency of every router: refuses unsafe requests without the session's token."""
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("origin")
    if origin is not None and origin not in own_origins(request):
        raise CsrfRefused(f"origin {origin!r} is not this site")
    token = request.headers.get(CSRF_HEADER)
    if token is None and _is_form(request):
        value = (await request.form()).get(CSRF_FIELD)
        token = value if isinstance(value, str) else None
    if not browser_cookie(request).secret.accepts_csrf_token(token):
        raise CsrfRefused("missing or wrong CSRF token")


def own_origins(request: Request) -> set[str]:
    origins = {f"{request.url.scheme}://{request.headers.get('host', '')}"}
    public_origin: str | None = request.app.state.settings.public_origin
    return origins | ({public_origin} if public_origin else set())


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "")
    return kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))
