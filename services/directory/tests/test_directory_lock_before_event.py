"""Memberships are decided from locked state, so a closure, a join and a removal of one member
that meet each announce what the other committed (docs/event-order-audit.md): the use case
functions on two connections of a real Postgres, the second one waiting for the first."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

import asyncpg
import pytest
from contacts_events import CompanyRole, DeactivationReason, EventContext
from contacts_messaging.outbox import Outbox
from contacts_messaging.unit_of_work import UnitOfWork
from contacts_servicekit.domain_errors import Missing
from contacts_servicekit.migrations import migrate
from contacts_testing.lock_race import Work, outbox_names, second_writer
from directory_service.adapters.company_work import PostgresCompaniesWork
from directory_service.adapters.user_work import PostgresUsersWork
from directory_service.entrypoints.app import OWN_MIGRATIONS
from directory_service.handlers import companies, membership_offers, users

pytestmark = pytest.mark.integration
OUTBOX, CONTEXT = Outbox("/tests"), EventContext()
T = TypeVar("T")
W = TypeVar("W", bound=UnitOfWork)


@pytest.fixture
async def pool(schema_pool: asyncpg.Pool, service_schema: str) -> asyncpg.Pool:
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, OWN_MIGRATIONS)
    return schema_pool


async def user(conn: asyncpg.Connection, name: str) -> uuid.UUID:
    phone = f"+447400{uuid.uuid4().int % 1_000_000:06d}"
    registration = users.Registration(name, phone)
    return (await in_users_work(conn, lambda work: users.register(work, registration))).user_id


async def company(conn: asyncpg.Connection) -> uuid.UUID:
    return (await in_work(conn, lambda work: companies.create(work, "Acme"))).company_id


async def in_work(
    conn: asyncpg.Connection, use_case: Callable[[PostgresCompaniesWork], Awaitable[T]]
) -> T:
    """A company use case on `conn`, its events written to the outbox as a route does."""
    return await written(PostgresCompaniesWork(conn), use_case)


async def in_users_work(
    conn: asyncpg.Connection, use_case: Callable[[PostgresUsersWork], Awaitable[T]]
) -> T:
    """A users use case on `conn`, its events written to the outbox as a route does."""
    return await written(PostgresUsersWork(conn), use_case)


async def written(work: W, use_case: Callable[[W], Awaitable[T]]) -> T:
    result = await use_case(work)
    await work.write_events(OUTBOX, CONTEXT)
    return result


def joins(company_id: uuid.UUID, user_id: uuid.UUID) -> Work:
    return lambda conn: in_work(
        conn, lambda work: companies.add_member(work, company_id, user_id, CompanyRole.MEMBER)
    )


def removes(company_id: uuid.UUID, user_id: uuid.UUID) -> Work:
    return lambda conn: in_work(
        conn, lambda work: companies.remove_member(work, company_id, user_id)
    )


def closes(user_id: uuid.UUID) -> Work:
    return lambda conn: in_users_work(
        conn, lambda work: users.deactivate(work, user_id, DeactivationReason.CLOSED_BY_USER)
    )


async def race(pool: asyncpg.Pool, first: Work, second: Work) -> tuple[list[str], object]:
    """`first` committed while `second` waits for it; the events both added, and what the
    second returned (or the error it raised)."""
    async with pool.acquire() as one, pool.acquire() as other:
        before = len(await outbox_names(one))
        async with one.transaction():
            await first(one)
            waiting = await second_writer(one, other, second)
        try:
            outcome: object = await waiting
        except Missing as refused:
            outcome = refused
        return (await outbox_names(one))[before:], outcome


async def test_a_closure_waiting_for_a_join_ends_that_membership(pool):
    async with pool.acquire() as conn, conn.transaction():
        acme, ada = await company(conn), await user(conn, "Ada")
    events, _ = await race(pool, joins(acme, ada), closes(ada))
    assert events == ["CompanyMemberJoined", "CompanyMemberLeft", "UserDeactivated"]
    assert await pool.fetchval("SELECT count(*) FROM memberships WHERE user_id = $1", ada) == 0


async def test_a_join_waiting_for_the_closure_is_refused(pool):
    async with pool.acquire() as conn, conn.transaction():
        acme, ada = await company(conn), await user(conn, "Ada")
    events, outcome = await race(pool, closes(ada), joins(acme, ada))
    assert isinstance(outcome, Missing)
    assert events == ["UserDeactivated"]


async def test_an_accept_waiting_for_the_closure_is_refused(pool):
    async with pool.acquire() as conn, conn.transaction():
        acme, admin, ada = await company(conn), await user(conn, "Wile"), await user(conn, "Ada")
        offer = await in_work(
            conn,
            lambda work: membership_offers.offer(
                work, acme, ada, CompanyRole.MEMBER, admin, timedelta(days=1)
            ),
        )

    async def accepts(conn: asyncpg.Connection) -> object:
        return await in_work(conn, lambda work: membership_offers.accept(work, ada, offer.offer_id))

    events, outcome = await race(pool, closes(ada), accepts)
    assert isinstance(outcome, Missing)
    assert events == ["UserDeactivated"]


@pytest.mark.parametrize(
    ("second", "announced"),
    [("removal", ["CompanyMemberLeft"]), ("closure", ["CompanyMemberLeft", "UserDeactivated"])],
)
async def test_a_writer_waiting_for_a_removal_announces_no_second_leave(pool, second, announced):
    async with pool.acquire() as conn, conn.transaction():
        acme, ada = await company(conn), await user(conn, "Ada")
        await joins(acme, ada)(conn)
    then = removes(acme, ada) if second == "removal" else closes(ada)
    events, outcome = await race(pool, removes(acme, ada), then)
    assert events == announced
    assert isinstance(outcome, Missing) == (second == "removal")  # no member left to remove
