"""Accounts closed before closures were recorded in `closed_accounts` are recorded by the
directory's migration 0005, so they are refused too (a real Postgres, no service)."""

from __future__ import annotations

import uuid

import pytest
from contacts_events.connect_id import generate
from contacts_servicekit.migrations import Migration, discover, migrate
from directory_service.entrypoints.app import MIGRATIONS

pytestmark = pytest.mark.integration


async def test_the_migration_records_the_accounts_closed_before_it(schema_pool, service_schema):
    before, backfill = _split(
        discover("directory", MIGRATIONS), "directory/0005_closed_accounts.sql"
    )
    closed, still_open = uuid.uuid4(), uuid.uuid4()
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, before)
        for user_id, status in ((closed, "deactivated"), (still_open, "active")):
            connect_id = generate()
            await conn.execute(
                "INSERT INTO connect_ids VALUES ($1, 'user', $2)", connect_id, user_id
            )
            await conn.execute(
                "INSERT INTO users (user_id, connect_id, display_name, phone_e164, status)"
                " VALUES ($1, $2, 'Ada', '+447400000001', $3)",
                user_id, connect_id, status,
            )  # fmt: skip
        await migrate(conn, service_schema, [*before, backfill])
        recorded = await conn.fetch("SELECT user_id, reason FROM closed_accounts")
    assert [tuple(r) for r in recorded] == [(closed, "closed_before_recording")]


def _split(migrations: list[Migration], name: str) -> tuple[list[Migration], Migration]:
    [backfill] = [m for m in migrations if m.id == name]
    return [m for m in migrations if m.id < name], backfill
