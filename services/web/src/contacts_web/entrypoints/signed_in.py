"""The signed-in user of a request, with the platform's typed client acting as them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from contacts_client import AsyncContactsPlatform, RetryPolicy, Tokens
from contacts_servicekit.logging import CORRELATION_ID_HEADER, current_correlation_id
from fastapi import Depends, Request

from contacts_web.domain.session import SessionData
from contacts_web.entrypoints.browser.cookie import browser_cookie
from contacts_web.handlers.sessions import fresh_session

# A person waits for the page: one quick retry of a lost answer, and no waiting out a long
# Retry-After (the page says when to try again instead).
BROWSER_RETRIES = RetryPolicy(attempts=2, max_retry_after=2, backoff_first=0.2, backoff_max=1)


class SignInRequired(Exception):
    """No session, or one that ended: the browser goes to the sign-in page."""


@dataclass(frozen=True)
class SignedInUser:
    session: SessionData
    platform: AsyncContactsPlatform


def platform_for(request: Request, token: str | Tokens | None = None) -> AsyncContactsPlatform:
    """The typed client on the app's shared connections, carrying this request's correlation
    id and the browser's address (the directory limits sign-ins per address)."""
    headers = {"X-Forwarded-For": request.client.host if request.client else "unknown"}
    correlation_id = current_correlation_id()
    if correlation_id:
        headers[CORRELATION_ID_HEADER] = correlation_id
    return AsyncContactsPlatform(
        request.app.state.settings.platform, token=token, http=request.app.state.http,
        headers=headers, retries=BROWSER_RETRIES,
    )  # fmt: skip


async def signed_in(request: Request) -> SignedInUser:
    anonymous = platform_for(request)

    async def refresh(refresh_token: str) -> Tokens:
        return await anonymous.auth.refresh_tokens(refresh_token)

    session = await fresh_session(
        request.app.state.sessions, browser_cookie(request).secret, refresh
    )
    if session is None:
        raise SignInRequired
    request.state.session = session
    return SignedInUser(session, platform_for(request, session.access_token))


SignedInDep = Annotated[SignedInUser, Depends(signed_in)]
