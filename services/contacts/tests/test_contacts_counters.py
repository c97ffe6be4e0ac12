"""The lists' counters (names by prefix, colleagues among the contacts, list sizes) are kept by
statement-level triggers whatever writes the rows, and those triggers run SQL that Postgres
plans once, not text it parses at every statement (migration 0006; a real Postgres, no
service)."""

from __future__ import annotations

import uuid

import pytest
from contacts_service.entrypoints.app import OWN_MIGRATIONS
from contacts_servicekit.migrations import migrate

pytestmark = pytest.mark.integration

COUNTED = ("contacts", "company_members", "contact_points")
_LIST = "CASE WHEN archived_at IS NULL THEN 'active' ELSE 'archived' END"
# Each counter as the triggers keep it, and counted again from the rows.
RECOUNTS = {
    "name_counts": (
        "SELECT scope_id, list, bucket, n FROM name_counts WHERE n <> 0",
        f"SELECT owner_id, {_LIST}, left(sort_name, 3), count(*) FROM contacts GROUP BY 1, 2, 3"
        " UNION ALL SELECT company_id, 'members', left(sort_name, 3), count(*)"
        " FROM company_members GROUP BY 1, 3"
        " UNION ALL SELECT company_id, 'points', left(sort_name, 3), count(*)"
        " FROM contact_points GROUP BY 1, 3",
    ),
    "list_sizes": (
        "SELECT scope_id, list, n FROM list_sizes WHERE n <> 0",
        f"SELECT owner_id, {_LIST}, count(*) FROM contacts GROUP BY 1, 2"
        " UNION ALL SELECT company_id, 'members', count(*) FROM company_members GROUP BY 1"
        " UNION ALL SELECT company_id, 'points', count(*) FROM contact_points GROUP BY 1",
    ),
    "company_contact_counts": (
        "SELECT owner_id, company_id, list, n FROM company_contact_counts WHERE n <> 0",
        f"SELECT owner_id, contact_company_id, {_LIST}, count(*) FROM contacts"
        " WHERE contact_company_id IS NOT NULL GROUP BY 1, 2, 3",
    ),
}


async def test_no_counting_trigger_runs_sql_built_as_text(schema_pool, service_schema):
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, OWN_MIGRATIONS)
        functions = await conn.fetch(
            "SELECT t.tgname, p.prosrc FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid"
            " WHERE NOT t.tgisinternal AND t.tgrelid = ANY($1::regclass[])"
            " AND t.tgname NOT LIKE '%\\_truncated'",
            list(COUNTED),
        )
    # 7 counters (3 on contacts, 2 on each other table), each on insert, update and delete
    assert len(functions) == 21
    assert [f["tgname"] for f in functions if "EXECUTE" in f["prosrc"].upper()] == []


async def test_every_counter_matches_its_rows_after_any_statement(schema_pool, service_schema):
    owners, companies = [uuid.uuid4() for _ in range(3)], [uuid.uuid4() for _ in range(2)]
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, OWN_MIGRATIONS)
        await conn.execute(  # several owners, lists, name prefixes and companies at once
            "INSERT INTO contacts (owner_id, contact_user_id, sort_name, contact_company_id,"
            " source, archived_at)"
            " SELECT ($1::uuid[])[1 + i % 3], gen_random_uuid(), (ARRAY['ada', 'adam', 'bo'])[1 + i % 3]"
            " || i, CASE WHEN i % 4 = 0 THEN ($2::uuid[])[1 + i % 2] END, 'connect_id',"
            " CASE WHEN i % 5 = 0 THEN now() END FROM generate_series(1, 60) AS i",
            owners, companies,
        )  # fmt: skip
        await conn.execute(
            "INSERT INTO company_members (company_id, user_id, sort_name)"
            " SELECT ($1::uuid[])[1 + i % 2], gen_random_uuid(), 'm' || i"
            " FROM generate_series(1, 9) AS i",
            companies,
        )
        await conn.execute(
            "INSERT INTO contact_points (contact_point_id, company_id, connect_id, display_name,"
            " sort_name) SELECT gen_random_uuid(), $1, 'CP' || i, 'Desk ' || i, 'desk ' || i"
            " FROM generate_series(1, 4) AS i",
            companies[0],
        )
        await _assert_counted(conn)
        for change in (
            f"UPDATE contacts SET archived_at = CASE WHEN archived_at IS NULL THEN now() END"
            f" WHERE owner_id = '{owners[0]}'",
            "UPDATE contacts SET sort_name = 'zed' || sort_name WHERE sort_name LIKE 'bo%'",
            f"UPDATE contacts SET contact_company_id = NULL WHERE contact_company_id = '{companies[0]}'",
            f"DELETE FROM contacts WHERE owner_id = '{owners[1]}' AND archived_at IS NOT NULL",
            "UPDATE company_members SET sort_name = 'x' || sort_name",
            f"DELETE FROM company_members WHERE company_id = '{companies[1]}'",
            "UPDATE contact_points SET sort_name = 'a' || sort_name WHERE connect_id = 'CP1'",
            "DELETE FROM contact_points WHERE connect_id IN ('CP2', 'CP3')",
        ):
            await conn.execute(change)
            await _assert_counted(conn)


async def _assert_counted(conn) -> None:
    for counters, (kept, recount) in RECOUNTS.items():
        assert sorted(map(tuple, await conn.fetch(kept))) == sorted(
            map(tuple, await conn.fetch(recount))
        ), counters
