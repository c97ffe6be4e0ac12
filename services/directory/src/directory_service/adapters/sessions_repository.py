"""Sessions and their refresh tokens in Postgres (the caller holds the transaction)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

from directory_service.domain.credentials import PresentedToken


async def open_session(
    conn: asyncpg.Connection, session_id: UUID, user_id: UUID, expires_at: datetime
) -> None:
    await conn.execute(
        "INSERT INTO sessions (session_id, user_id, expires_at) VALUES ($1, $2, $3)",
        session_id, user_id, expires_at,
    )  # fmt: skip


async def add_refresh_token(
    conn: asyncpg.Connection, token_hash: bytes, session_id: UUID, expires_at: datetime
) -> None:
    await conn.execute(
        "INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, $3)",
        token_hash, session_id, expires_at,
    )  # fmt: skip


async def presented(conn: asyncpg.Connection, token_hash: bytes) -> PresentedToken | None:
    row = await conn.fetchrow(
        "SELECT s.session_id, s.user_id, t.used_at IS NOT NULL AS used,"
        " t.expires_at <= now() OR s.expires_at <= now() AS expired,"
        " s.revoked_at IS NOT NULL AS session_revoked, s.expires_at AS session_expires_at"
        " FROM refresh_tokens t JOIN sessions s USING (session_id)"
        " WHERE t.token_hash = $1 FOR UPDATE OF t, s",
        token_hash,
    )
    return PresentedToken(**dict(row)) if row else None


async def mark_used(conn: asyncpg.Connection, token_hash: bytes) -> None:
    await conn.execute(
        "UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1", token_hash
    )


async def revoke_session(conn: asyncpg.Connection, session_id: UUID, reason: str) -> None:
    await conn.execute(
        "UPDATE sessions SET revoked_at = now(), revoked_reason = $2"
        " WHERE session_id = $1 AND revoked_at IS NULL",
        session_id, reason,
    )  # fmt: skip


async def revoke_all(conn: asyncpg.Connection, user_id: UUID, reason: str) -> int:
    """Revoke every open session of the user; how many there were."""
    status = await conn.execute(
        "UPDATE sessions SET revoked_at = now(), revoked_reason = $2"
        " WHERE user_id = $1 AND revoked_at IS NULL",
        user_id, reason,
    )  # fmt: skip
    return int(status.split()[-1])
