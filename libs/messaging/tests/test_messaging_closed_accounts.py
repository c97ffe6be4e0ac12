"""Closed accounts in memory: every process hears a closure when it commits (NOTIFY), loads
what it missed after losing its listening connection, and work that holds an account open
makes the closure wait for it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from contacts_messaging.accounts import store
from contacts_messaging.accounts.closed_set import ClosedAccounts
from contacts_testing.consumers import wait_until

pytestmark = pytest.mark.integration


@pytest.fixture
async def closed_sets(
    schema_pool: asyncpg.Pool, postgres_admin_url: str, service_schema: str
) -> AsyncIterator[list[ClosedAccounts]]:
    """Two processes' views of one schema (started: listening and loaded)."""
    views = [ClosedAccounts(schema_pool, postgres_admin_url, service_schema) for _ in range(2)]
    for view in views:
        await view.start()
    yield views
    for view in views:
        await view.stop()


async def test_every_listener_learns_a_closure_when_it_commits(
    schema_pool: asyncpg.Pool, closed_sets: list[ClosedAccounts]
) -> None:
    closed, still_open = uuid.uuid4(), uuid.uuid4()
    async with schema_pool.acquire() as conn, conn.transaction():
        assert await store.record_closed(conn, closed, "closed_by_user")
        await asyncio.sleep(0.3)  # uncommitted: nobody may have heard of it
        assert not any(view.is_closed(str(closed)) for view in closed_sets)
    await wait_until(lambda: all(view.is_closed(str(closed)) for view in closed_sets))
    for view in closed_sets:
        assert view.is_closed(str(closed).upper())  # the same account spelt otherwise
        assert view.is_closed(closed.hex)
        assert not view.is_closed(str(still_open))  # never heard of: not refused
        assert not view.is_closed("platform-backend")  # a subject that is no user id
    async with schema_pool.acquire() as conn:
        assert not await store.record_closed(conn, closed, "erased")  # closed once only


async def test_a_listener_that_lost_its_connection_loads_what_it_missed(
    schema_pool: asyncpg.Pool, postgres_admin_url: str, service_schema: str
) -> None:
    view = ClosedAccounts(schema_pool, postgres_admin_url, service_schema)
    await view.start()
    missed = uuid.uuid4()
    try:
        await schema_pool.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
            f"{view.channel}-listener",
        )
        await wait_until(lambda: view._lost.is_set())  # the loss was noticed
        async with schema_pool.acquire() as conn:
            await store.record_closed(conn, missed, "closed_by_admin")  # nobody listens now
        assert not view.is_closed(str(missed))
        keeping = asyncio.create_task(view.keep_current())
        await wait_until(lambda: view.is_closed(str(missed)))
        assert view.loads == 2
        keeping.cancel()
    finally:
        await view.stop()


async def test_a_closure_waits_for_work_holding_the_account_open_and_later_work_sees_it(
    schema_pool: asyncpg.Pool,
) -> None:
    account, other = uuid.uuid4(), uuid.uuid4()
    async with schema_pool.acquire() as work, work.transaction():
        assert await store.hold_open(work, [other, account]) == set()
        closing = asyncio.create_task(_close(schema_pool, account))
        await wait_until(lambda: _closure_waiting(schema_pool, account))
        assert not closing.done()  # it waits for the work in flight to commit
    await closing
    async with schema_pool.acquire() as later, later.transaction():
        assert await store.hold_open(later, [account, other]) == {account}
        assert not await store.is_open(later, account)


async def _close(pool: asyncpg.Pool, account: uuid.UUID) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await store.record_closed(conn, account, "closed_by_user")


async def _closure_waiting(pool: asyncpg.Pool, account: uuid.UUID) -> bool:
    """Whether a transaction waits for the account's lock (pg_locks shows the keys unsigned)."""
    return bool(
        await pool.fetchval(
            "SELECT count(*) FROM pg_locks, account_lock_key($1) AS k"
            " WHERE locktype = 'advisory' AND NOT granted AND objsubid = 2"
            " AND objid::text::bigint = (k[2]::bigint + 4294967296) % 4294967296",
            account,
        )
    )
