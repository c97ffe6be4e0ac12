"""A session's tokens are renewed once when about to expire, however many requests of the
same browser arrive at once (a refresh token works once); a session the directory ended is
removed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from contacts_client import Tokens, Unauthorized
from contacts_web.domain.session import SessionData
from contacts_web.domain.session_secret import SessionSecret
from contacts_web.handlers.sessions import fresh_session

pytestmark = pytest.mark.unit


class FakeSessions:
    """The session table in memory, with its row lock."""

    def __init__(self) -> None:
        self.rows: dict[bytes, SessionData] = {}
        self.locks: dict[bytes, asyncio.Lock] = {}

    async def create(self, secret, data, expires_at):
        self.rows[secret.row_id] = data

    async def read(self, secret):
        return self.rows.get(secret.row_id)

    @asynccontextmanager
    async def locked(self, secret) -> AsyncIterator:
        async with self.locks.setdefault(secret.row_id, asyncio.Lock()):

            async def save(data):
                self.rows[secret.row_id] = data

            yield self.rows.get(secret.row_id), save

    async def delete(self, secret):
        self.rows.pop(secret.row_id, None)


def session(expires_in: timedelta) -> SessionData:
    return SessionData(
        user_id=uuid4(), display_name="Lea", access_token="access-1", refresh_token="refresh-1",
        access_expires_at=datetime.now(UTC) + expires_in,
    )  # fmt: skip


class Directory:
    def __init__(self, *, refuse: bool = False) -> None:
        self.used: list[str] = []
        self.refuse = refuse

    async def refresh(self, refresh_token: str) -> Tokens:
        self.used.append(refresh_token)
        await asyncio.sleep(0.01)  # the others arrive meanwhile
        if self.refuse:
            raise Unauthorized(401, {"error": "refresh_token_reused"})
        n = len(self.used) + 1
        return Tokens(access_token=f"access-{n}", refresh_token=f"refresh-{n}", expires_in=900)


async def test_fresh_tokens_are_used_as_they_are():
    store, secret, directory = FakeSessions(), SessionSecret.new(), Directory()
    await store.create(secret, session(timedelta(minutes=10)), None)
    assert (await fresh_session(store, secret, directory.refresh)).access_token == "access-1"
    assert directory.used == []


async def test_tokens_about_to_expire_are_renewed_once_for_requests_at_once():
    store, secret, directory = FakeSessions(), SessionSecret.new(), Directory()
    await store.create(secret, session(timedelta(seconds=10)), None)
    results = await asyncio.gather(
        *(fresh_session(store, secret, directory.refresh) for _ in range(8))
    )
    assert directory.used == ["refresh-1"]
    assert {r.access_token for r in results} == {"access-2"}
    assert (await store.read(secret)).refresh_token == "refresh-2"


async def test_a_session_the_directory_ended_is_removed():
    store, secret, directory = FakeSessions(), SessionSecret.new(), Directory(refuse=True)
    await store.create(secret, session(timedelta(seconds=-5)), None)
    assert await fresh_session(store, secret, directory.refresh) is None
    assert await store.read(secret) is None


async def test_no_session_is_none():
    assert await fresh_session(FakeSessions(), SessionSecret.new(), Directory().refresh) is None
