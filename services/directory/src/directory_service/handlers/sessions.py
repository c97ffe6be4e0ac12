"""Sessions: opened by a sign-in, kept alive by rotating refresh tokens, closed by sign-out,
by reuse of a rotated token (a copy), or with the account."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from contacts_servicekit.domain_errors import NotAuthenticated

from directory_service.domain.credentials import (
    PresentedToken,
    Tokens,
    new_refresh_token,
    refresh_token_hash,
)
from directory_service.domain.model import User
from directory_service.handlers.user_ports import IdentityWork


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


async def open_session(work: IdentityWork, user: User) -> Tokens:
    """A new session for ``user`` (in the caller's transaction) and its first tokens."""
    session_id = uuid.uuid4()
    expires_at = datetime.now(UTC) + work.tokens.rules.session_lifetime
    await work.sessions.open_session(session_id, user.user_id, expires_at)
    return await _tokens(work, user, session_id, expires_at)


async def refresh(work: IdentityWork, refresh_token: str) -> Tokens:
    """New tokens for a refresh token, which is used up; a used one closes its session."""
    token_hash = refresh_token_hash(refresh_token)
    async with work.transaction():
        found = await work.sessions.presented(token_hash)
        if found is None or found.expired or found.session_revoked:
            outcome: Tokens | NotAuthenticated = not_valid()
        elif found.used:
            await work.sessions.revoke_session(found.session_id, "refresh_token_reused")
            outcome = reused()
        else:
            outcome = await _rotated(work, token_hash, found)
    if isinstance(outcome, NotAuthenticated):
        raise outcome  # after the commit: the revocation stands
    return outcome


async def sign_out(work: IdentityWork, refresh_token: str) -> None:
    """Close the session of ``refresh_token`` (nothing happens for an unknown token)."""
    async with work.transaction():
        found = await work.sessions.presented(refresh_token_hash(refresh_token))
        if found is not None:
            await work.sessions.revoke_session(found.session_id, "signed_out")


async def _rotated(
    work: IdentityWork, token_hash: bytes, found: PresentedToken
) -> Tokens | NotAuthenticated:
    user = await work.users.get_user(found.user_id)
    if user is None or user.status != "active":
        await work.sessions.revoke_session(found.session_id, "account_closed")
        return not_valid()
    await work.sessions.mark_used(token_hash)
    return await _tokens(work, user, found.session_id, found.session_expires_at)


async def _tokens(
    work: IdentityWork, user: User, session_id: uuid.UUID, session_expires_at: datetime
) -> Tokens:
    refresh_token = new_refresh_token()
    expires_at = min(datetime.now(UTC) + work.tokens.rules.refresh_lifetime, session_expires_at)
    await work.sessions.add_refresh_token(refresh_token_hash(refresh_token), session_id, expires_at)
    access = await work.tokens.access_token(user, session_id)
    return Tokens(access, work.tokens.lifetime_seconds, refresh_token)
