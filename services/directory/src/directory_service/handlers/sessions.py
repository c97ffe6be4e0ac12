"""Sessions: opened by a sign-in, kept alive by rotating refresh tokens, closed by sign-out,
by reuse of a rotated token (a copy), or with the account."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg
from contacts_servicekit.domain_errors import NotAuthenticated

from directory_service.adapters import sessions_repository as sessions
from directory_service.adapters import users_repository as users
from directory_service.adapters.token_issuer import TokenIssuer
from directory_service.domain.credentials import Tokens, new_refresh_token, refresh_token_hash
from directory_service.domain.model import User


def not_valid() -> NotAuthenticated:
    return NotAuthenticated(
        "refresh_token_invalid",
        "This refresh token is not valid (expired, signed out or unknown): sign in again.",
        "refresh_token",
    )


def reused() -> NotAuthenticated:
    return NotAuthenticated(
        "refresh_token_reused",
        "This refresh token was already used, so it was copied: the session is closed on every "
        "device that shared it. Sign in again.",
        "refresh_token",
    )


async def open_session(conn: asyncpg.Connection, issuer: TokenIssuer, user: User) -> Tokens:
    """A new session for ``user`` (in the caller's transaction) and its first tokens."""
    session_id = uuid.uuid4()
    expires_at = datetime.now(UTC) + issuer.rules.session_lifetime
    await sessions.open_session(conn, session_id, user.user_id, expires_at)
    return await _tokens(conn, issuer, user, session_id, expires_at)


async def refresh(conn: asyncpg.Connection, issuer: TokenIssuer, refresh_token: str) -> Tokens:
    """New tokens for a refresh token, which is used up; a used one closes its session."""
    token_hash = refresh_token_hash(refresh_token)
    async with conn.transaction():
        found = await sessions.presented(conn, token_hash)
        if found is None or found.expired or found.session_revoked:
            outcome: Tokens | NotAuthenticated = not_valid()
        elif found.used:
            await sessions.revoke_session(conn, found.session_id, "refresh_token_reused")
            outcome = reused()
        else:
            outcome = await _rotated(conn, issuer, token_hash, found)
    if isinstance(outcome, NotAuthenticated):
        raise outcome  # after the commit: the revocation stands
    return outcome


async def sign_out(conn: asyncpg.Connection, refresh_token: str) -> None:
    """Close the session of ``refresh_token`` (nothing happens for an unknown token)."""
    async with conn.transaction():
        found = await sessions.presented(conn, refresh_token_hash(refresh_token))
        if found is not None:
            await sessions.revoke_session(conn, found.session_id, "signed_out")


async def _rotated(
    conn: asyncpg.Connection, issuer: TokenIssuer, token_hash: bytes,
    found: sessions.PresentedToken,
) -> Tokens | NotAuthenticated:  # fmt: skip
    user = await users.get_user(conn, found.user_id)
    if user is None or user.status != "active":
        await sessions.revoke_session(conn, found.session_id, "account_closed")
        return not_valid()
    await sessions.mark_used(conn, token_hash)
    return await _tokens(conn, issuer, user, found.session_id, found.session_expires_at)


async def _tokens(
    conn: asyncpg.Connection, issuer: TokenIssuer, user: User, session_id: uuid.UUID,
    session_expires_at: datetime,
) -> Tokens:  # fmt: skip
    refresh_token = new_refresh_token()
    expires_at = min(datetime.now(UTC) + issuer.rules.refresh_lifetime, session_expires_at)
    await sessions.add_refresh_token(
        conn, refresh_token_hash(refresh_token), session_id, expires_at
    )
    access = await issuer.access_token(conn, user, session_id)
    return Tokens(access, issuer.lifetime_seconds, refresh_token)
