"""The invitations service's bookkeeping tables stay bounded (docs/data-retention.md, "The
invitations service's tables"), against real Postgres: daily counters of 3 days ago and before
and requests failed for longer than FAILED_REQUEST_RETENTION_DAYS go; today's and yesterday's
counters and the day before's, recent failures and waiting requests stay. Rows are made old by their dates."""

from __future__ import annotations

import uuid
from datetime import timedelta

import asyncpg
import pytest
from contacts_servicekit.migrations import discover, migrate
from invitations_service.adapters.retention import invitations_expiries
from invitations_service.entrypoints.app import MIGRATIONS

from .conftest import InvitationsUnderTest, invitations_with

pytestmark = pytest.mark.integration

purging = invitations_with("retention", RETENTION_PURGE_MINUTES="0.02")  # every 1.2 s
A_MONTH = timedelta(days=30)  # FAILED_REQUEST_RETENTION_DAYS' default


async def add_daily_counts(pool: asyncpg.Pool, subject: str, days_ago: list[int]) -> None:
    await pool.executemany(
        "INSERT INTO daily_sends (scope, subject, day, count)"
        " VALUES ('destination', $1, (now() AT TIME ZONE 'UTC')::date - $2::int, 1)",
        [(subject, days) for days in days_ago],
    )


async def days_counted(pool: asyncpg.Pool, subject: str) -> list[int]:
    """How many days ago each of `subject`'s counters is, newest first."""
    rows = await pool.fetch(
        "SELECT (now() AT TIME ZONE 'UTC')::date - day FROM daily_sends WHERE subject = $1"
        " ORDER BY day DESC",
        subject,
    )
    return [row[0] for row in rows]


async def add_request(pool: asyncpg.Pool, inviter: uuid.UUID, failed_days_ago: int | None) -> None:
    """A queued request of `inviter`: failed that many days ago, or waiting (None)."""
    await pool.execute(
        "INSERT INTO invitation_requests (request_id, event_id, correlation_id, inviter_id,"
        " channel, phone_e164, staged_at, failed_at, error) VALUES ($1, $1, 'c', $2, 'sms',"
        " '+447700900123', now() - interval '40 days', now() - make_interval(days => $3), 'boom')",
        uuid.uuid4(), inviter, failed_days_ago,
    )  # fmt: skip


async def requests_of(pool: asyncpg.Pool, inviter: uuid.UUID) -> list[int | None]:
    """Days since each of the inviter's requests failed (None: waiting), oldest first."""
    rows = await pool.fetch(
        "SELECT extract(day FROM now() - failed_at)::int FROM invitation_requests"
        " WHERE inviter_id = $1 ORDER BY failed_at NULLS LAST",
        inviter,
    )
    return [row[0] for row in rows]


async def purge_now(pool: asyncpg.Pool) -> None:
    for expiry in invitations_expiries(A_MONTH):
        await expiry.purge(pool)


@pytest.fixture
async def migrated(schema_pool, service_schema) -> asyncpg.Pool:
    """A schema of the service's tables and no service: nothing takes a waiting request."""
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, discover("invitations", MIGRATIONS))
    return schema_pool


async def test_the_running_service_purges_old_counters_and_old_failures(
    purging: InvitationsUnderTest,
):
    subject, inviter = f"+4477009{uuid.uuid4().int % 10**5:05d}", uuid.uuid4()
    await add_daily_counts(purging.pool, subject, [0, 1, 5])
    await add_request(purging.pool, inviter, 31)
    await add_request(purging.pool, inviter, 29)

    async def purged() -> bool:
        return await requests_of(purging.pool, inviter) == [29]

    await purging.until(purged)
    assert await days_counted(purging.pool, subject) == [0, 1]


async def test_the_last_three_days_counters_stay_older_ones_go(migrated):
    subject = f"+4477009{uuid.uuid4().int % 10**5:05d}"
    await add_daily_counts(migrated, subject, [0, 1, 2, 3, 400])

    await purge_now(migrated)

    assert await days_counted(migrated, subject) == [0, 1, 2]


async def test_a_waiting_request_stays_however_old_a_failed_one_a_month(migrated):
    inviter = uuid.uuid4()
    for failed_days_ago in (None, 29, 31, 365):
        await add_request(migrated, inviter, failed_days_ago)

    await purge_now(migrated)

    assert await requests_of(migrated, inviter) == [29, None]
