"""Signing a browser in and out, and keeping its session's tokens fresh.

A refresh token works once (the directory closes a session whose used refresh token comes
back), and a browser sends requests in parallel: so a session's tokens are renewed under its
row's lock, by the first request that finds them about to expire; the others wait, then find
them fresh.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from typing import Protocol

import structlog
from contacts_client import SignedIn, Tokens, Unauthorized

from contacts_web.adapters.session_store import Save
from contacts_web.domain.session import SessionData
from contacts_web.domain.session_secret import SessionSecret

Refresh = Callable[[str], Awaitable[Tokens]]


class Sessions(Protocol):
    """The session table (adapters/session_store.py; an in-memory fake in the unit tests)."""

    async def create(
        self, secret: SessionSecret, data: SessionData, expires_at: datetime
    ) -> None: ...
    async def read(self, secret: SessionSecret) -> SessionData | None: ...
    def locked(
        self, secret: SessionSecret
    ) -> AbstractAsyncContextManager[tuple[SessionData | None, Save]]: ...
    async def delete(self, secret: SessionSecret) -> None: ...


log = structlog.get_logger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


def session_of(signed_in: SignedIn) -> SessionData:
    if signed_in.refresh_token is None:
        raise ValueError("the directory gave no refresh token")
    return SessionData(
        user_id=signed_in.user.user_id,
        display_name=signed_in.user.display_name,
        connect_id=signed_in.user.connect_id,
        access_token=signed_in.access_token,
        refresh_token=signed_in.refresh_token,
        access_expires_at=_now() + timedelta(seconds=signed_in.expires_in or 300),
    )


async def start_session(store: Sessions, signed_in: SignedIn, lifetime: timedelta) -> SessionSecret:
    """A new secret (never the one the browser had before signing in: no session fixation)."""
    secret = SessionSecret.new()
    await store.create(secret, session_of(signed_in), _now() + lifetime)
    log.info("web.signed_in", user_id=str(signed_in.user.user_id), signed_up=signed_in.signed_up)
    return secret


async def fresh_session(
    store: Sessions, secret: SessionSecret, refresh: Refresh
) -> SessionData | None:
    """The session with tokens good for a while yet; None when there is none (signed out,
    expired, or the directory ended it)."""
    current = await store.read(secret)
    if current is None or not current.needs_refresh(_now()):
        return current
    async with store.locked(secret) as (locked, save):
        if locked is None or not locked.needs_refresh(_now()):
            return locked  # another request renewed them while this one waited
        try:
            tokens = await refresh(locked.refresh_token)
        except Unauthorized:
            log.info("web.session_ended_by_directory", user_id=str(locked.user_id))
            tokens = None
        if tokens is not None:
            renewed = _renewed(locked, tokens)
            await save(renewed)
            return renewed
    await store.delete(secret)  # after the lock's transaction, which the delete would wait for
    return None


def _renewed(session: SessionData, tokens: Tokens) -> SessionData:
    return session.model_copy(
        update={
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token or session.refresh_token,
            "access_expires_at": _now() + timedelta(seconds=tokens.expires_in or 300),
        }
    )
