"""The closed accounts of a schema in this process's memory: the per-request check is a set
look-up, never a query.

Loaded at start, kept current by LISTEN on '<schema>.closed_accounts' (the table's trigger
notifies when a closing transaction commits, whichever process's consumer ran it), and loaded
again whenever the listening connection was lost: closures committed meanwhile were not
heard. A connection that dies silently is found by a ping every `check_seconds`. Accounts are
never reopened, so what was heard is only ever added to.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

import asyncpg
import structlog

from contacts_messaging.accounts import store
from contacts_messaging.backoff import Backoff

log = structlog.get_logger(__name__)


class ClosedAccounts:
    def __init__(
        self, pool: asyncpg.Pool, dsn: str, schema: str, *, check_seconds: float = 30.0
    ) -> None:
        self._pool, self._dsn = pool, dsn
        self.channel = store.channel(schema)
        self.check_seconds = check_seconds
        self.loads = 0  # full loads: the first, then one per lost listening connection
        self._closed: set[str] = set()
        self._listener: asyncpg.Connection | None = None
        self._lost = asyncio.Event()

    def is_closed(self, user_id: str) -> bool:
        """Whether this (token subject) user id names a closed account; unknown ids are not."""
        closed = self._closed
        if not closed or user_id in closed:
            return bool(closed)
        return not _looks_canonical(user_id) and _canonical(user_id) in closed

    def learn(self, user_id: uuid.UUID) -> None:
        """A closure this process committed itself: refused here at once, before its NOTIFY."""
        self._closed.add(str(user_id))

    def __len__(self) -> int:
        return len(self._closed)

    async def start(self) -> None:
        """Listen, then load: a closure committed in between is heard, loaded, or both."""
        await self._listen_and_load()

    async def keep_current(self) -> None:
        """Until cancelled: when the listening connection is lost, listen and load again."""
        backoff = Backoff(initial=0.5, maximum=10.0)
        try:
            while True:
                await self._until_lost()
                log.warning("closed_accounts.listener_lost", channel=self.channel)
                while True:
                    try:
                        await self._listen_and_load()
                        break
                    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                        delay = backoff.next_delay()
                        log.warning("closed_accounts.listen_retry", error=repr(exc),
                                    retry_in=round(delay, 2))  # fmt: skip
                        await asyncio.sleep(delay)
                backoff.reset()
        finally:
            await self.stop()

    async def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None and not listener.is_closed():
            await listener.close()

    async def _listen_and_load(self) -> None:
        await self.stop()
        listener = await asyncpg.connect(
            self._dsn, server_settings={"application_name": f"{self.channel}-listener"}
        )
        self._listener = listener
        self._lost.clear()
        listener.add_termination_listener(self._terminated)
        await listener.add_listener(self.channel, self._heard)
        self._closed |= await store.closed_ids(self._pool)
        self.loads += 1
        log.info("closed_accounts.loaded", channel=self.channel, closed=len(self._closed))

    def _heard(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        self._closed.add(payload)

    def _terminated(self, connection: Any) -> None:
        if connection is self._listener:  # not one closed on purpose
            self._lost.set()

    async def _until_lost(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._lost.wait(), self.check_seconds)
                return
            if not await self._answers():
                return

    async def _answers(self) -> bool:
        listener = self._listener
        try:
            assert listener is not None
            await asyncio.wait_for(listener.fetchval("SELECT 1"), 5)
        except (AssertionError, TimeoutError, OSError, asyncpg.PostgresError,
                asyncpg.InterfaceError):  # fmt: skip
            return False
        return True


def _looks_canonical(user_id: str) -> bool:
    """Spelt as `str(UUID)` spells it, if a UUID at all (then it needs no parsing: cheap)."""
    return (
        len(user_id) == 36
        and user_id[8] == user_id[13] == user_id[18] == user_id[23] == "-"
        and user_id.islower()
    )


def _canonical(user_id: str) -> str:
    """The UUID's usual spelling (a token may name one in capitals or without hyphens)."""
    try:
        return str(uuid.UUID(user_id))
    except ValueError:
        return user_id
