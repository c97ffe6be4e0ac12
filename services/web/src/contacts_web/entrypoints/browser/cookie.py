"""Every browser gets a session cookie: an anonymous secret until it signs in (its CSRF token
comes from it), a new secret at sign-in and at sign-out (no session fixation).

HttpOnly (no script reads it), SameSite=Lax (no other site's form or script sends it),
Secure outside local development, where its name takes the `__Host-` prefix (set by this
origin only, for every path, over HTTPS only)."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contacts_web.domain.session_secret import SessionSecret

_NO_COOKIE_PATHS = ("/static/", "/health", "/ready", "/metrics")


@dataclass
class BrowserCookie:
    """The secret this request carries; handlers replace it with :meth:`rotate`."""

    secret: SessionSecret
    changed: bool = False

    def rotate(self) -> SessionSecret:
        self.secret, self.changed = SessionSecret.new(), True
        return self.secret


def browser_cookie(connection: HTTPConnection) -> BrowserCookie:
    cookie: BrowserCookie = connection.state.browser
    return cookie


class BrowserCookieMiddleware:
    def __init__(self, app: ASGIApp, *, secure: bool, max_age_seconds: int) -> None:
        self.app = app
        self.secure = secure
        self.name = "__Host-session" if secure else "session"
        self.max_age = max_age_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_NO_COOKIE_PATHS):
            await self.app(scope, receive, send)
            return
        given = SessionSecret.from_cookie(HTTPConnection(scope).cookies.get(self.name))
        cookie = BrowserCookie(given or SessionSecret.new(), changed=given is None)
        scope.setdefault("state", {})["browser"] = cookie

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and cookie.changed:
                MutableHeaders(scope=message).append("set-cookie", self._header(cookie.secret))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _header(self, secret: SessionSecret) -> str:
        secure = "; Secure" if self.secure else ""
        return (
            f"{self.name}={secret.cookie_value}; Path=/; Max-Age={self.max_age}; HttpOnly;"
            f" SameSite=Lax{secure}"
        )
