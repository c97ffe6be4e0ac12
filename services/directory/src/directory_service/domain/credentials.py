"""Refresh tokens, the long-lived half of a session: random, shown once, stored hashed.

A refresh token is 256 random bits, so SHA-256 of it is enough to store (nothing to guess); it
is used once: each refresh gives a new one in the same session (rotation), and a token used a
second time means it was copied, which ends the session for everyone holding one of its tokens.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

TOKEN_BYTES = 32


@dataclass(frozen=True)
class SessionRules:
    access_lifetime: timedelta = timedelta(minutes=15)
    refresh_lifetime: timedelta = timedelta(days=30)  # of each refresh token (sliding)
    session_lifetime: timedelta = timedelta(days=90)  # of the session, however often refreshed


def new_refresh_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def refresh_token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


@dataclass(frozen=True)
class Tokens:
    """What a sign-in or a refresh gives the client."""

    access_token: str
    expires_in: int  # seconds
    refresh_token: str


@dataclass(frozen=True)
class PresentedToken:
    """A refresh token found by its hash, with its session, locked until the transaction ends."""

    session_id: UUID
    user_id: UUID
    used: bool
    expired: bool
    session_revoked: bool
    session_expires_at: datetime
