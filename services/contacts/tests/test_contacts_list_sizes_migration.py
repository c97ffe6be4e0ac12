"""Migration 0005 counts the lists' sizes again from their rows, and from then on triggers keep
them whatever writes the rows (a real Postgres, no service)."""

from __future__ import annotations

import uuid

import pytest
from contacts_service.entrypoints.app import OWN_MIGRATIONS
from contacts_servicekit.migrations import migrate

pytestmark = pytest.mark.integration

SIZES = "SELECT scope_id, list, n FROM list_sizes WHERE n <> 0"


async def test_the_sizes_are_counted_from_the_rows_then_kept_by_triggers(
    schema_pool, service_schema
):
    before = [m for m in OWN_MIGRATIONS if m.id < "contacts/0005_list_sizes.sql"]
    owner, company = uuid.uuid4(), uuid.uuid4()
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, before)
        for archived in (False, False, True):
            await _add_contact(conn, owner, archived)
        await conn.execute(
            "INSERT INTO companies (company_id, member_count) VALUES ($1, 7)", company
        )
        for _ in range(2):
            await conn.execute(
                "INSERT INTO company_members (company_id, user_id) VALUES ($1, $2)",
                company, uuid.uuid4(),
            )  # fmt: skip
        await conn.execute(
            "INSERT INTO owner_counts (owner_id, active, archived) VALUES ($1, 99, 0)", owner
        )  # a counter gone wrong is not carried over
        await migrate(conn, service_schema, OWN_MIGRATIONS)
        assert {tuple(r) for r in await conn.fetch(SIZES)} == {
            (owner, "active", 2), (owner, "archived", 1), (company, "members", 2)
        }  # fmt: skip
        assert await conn.fetchval("SELECT to_regclass('owner_counts')") is None

        await conn.execute(  # one statement changing several lists at once
            "UPDATE contacts SET archived_at = CASE WHEN archived_at IS NULL THEN now() END"
            " WHERE owner_id = $1",
            owner,
        )
        await conn.execute("DELETE FROM company_members WHERE company_id = $1", company)
        assert {tuple(r) for r in await conn.fetch(SIZES)} == {
            (owner, "active", 1), (owner, "archived", 2)
        }  # fmt: skip
        await conn.execute("TRUNCATE contacts")
        assert await conn.fetch(SIZES) == []


async def _add_contact(conn, owner: uuid.UUID, archived: bool) -> None:
    await conn.execute(
        "INSERT INTO contacts (owner_id, contact_user_id, source, archived_at)"
        " VALUES ($1, $2, 'connect_id', CASE WHEN $3 THEN now() END)",
        owner, uuid.uuid4(), archived,
    )  # fmt: skip


async def test_the_sizes_triggers_are_named_like_the_other_counters(schema_pool, service_schema):
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, OWN_MIGRATIONS)
        names = await conn.fetch(
            "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE c.relnamespace = $1::regnamespace AND tgname LIKE '%\\_sizes\\_%'"
            " ORDER BY 1",
            service_schema,
        )
    assert [r["tgname"] for r in names] == sorted(
        f"{table}_sizes_{what}"
        for table in ("contacts", "members", "points")
        for what in ("inserted", "updated", "deleted", "truncated")
    )
