"""The session table: one row per signed-in browser, found by its secret's hash."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime

import asyncpg

from contacts_web.domain.session import SessionData
from contacts_web.domain.session_secret import SealBroken, SessionSecret

Save = Callable[[SessionData], Awaitable[None]]


class SessionStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def create(self, secret: SessionSecret, data: SessionData, expires_at: datetime) -> None:
        await self._pool.execute(
            "INSERT INTO sessions (id, user_id, sealed, access_expires_at, expires_at)"
            " VALUES ($1, $2, $3, $4, $5)",
            secret.row_id, data.user_id, _seal(secret, data), data.access_expires_at, expires_at,
        )  # fmt: skip

    async def read(self, secret: SessionSecret) -> SessionData | None:
        row = await self._pool.fetchrow(
            "SELECT sealed FROM sessions WHERE id = $1 AND expires_at > now()", secret.row_id
        )
        return _open(secret, row["sealed"]) if row else None

    @asynccontextmanager
    async def locked(self, secret: SessionSecret) -> AsyncIterator[tuple[SessionData | None, Save]]:
        """The session as it is, with other requests of the same session waiting (row lock)
        until the block ends, and a function saving its new state in the same transaction."""
        async with self._pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(
                "SELECT sealed FROM sessions WHERE id = $1 AND expires_at > now() FOR UPDATE",
                secret.row_id,
            )

            async def save(data: SessionData) -> None:
                await conn.execute(
                    "UPDATE sessions SET sealed = $2, access_expires_at = $3 WHERE id = $1",
                    secret.row_id, _seal(secret, data), data.access_expires_at,
                )  # fmt: skip

            yield (_open(secret, row["sealed"]) if row else None), save

    async def delete(self, secret: SessionSecret) -> None:
        await self._pool.execute("DELETE FROM sessions WHERE id = $1", secret.row_id)

    async def purge_expired(self) -> int:
        status = await self._pool.execute("DELETE FROM sessions WHERE expires_at <= now()")
        return int(status.split()[-1])


def _seal(secret: SessionSecret, data: SessionData) -> bytes:
    return secret.seal(data.model_dump_json().encode())


def _open(secret: SessionSecret, sealed: bytes) -> SessionData | None:
    try:
        return SessionData.model_validate_json(secret.open(sealed))
    except SealBroken:
        return None
