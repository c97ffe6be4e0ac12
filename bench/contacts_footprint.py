"""What a million contacts take in the contacts service's Postgres (docs/scaling.md). Not a test.

    uv run python bench/contacts_footprint.py [--contacts 1000000] [--per-owner 1000]

On the contacts bench's own Postgres (:25732, contacts_stack.py's state directory) it applies
the service's migrations (the messaging library's, then its own) to a scratch schema, adds
`--contacts` contacts in lists of `--per-owner` (a name on each, a company on a fifth, a fifth
archived) with one INSERT, so the counters' triggers run as for the service's own inserts,
then prints the WAL that wrote and the size of each table with its indexes, per contact. The
schema is dropped and Postgres stopped at the end; the insert holds the machine lock.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

import asyncpg
from contacts_messaging.schema import MESSAGING_MIGRATIONS
from contacts_service.entrypoints.app import OWN_MIGRATIONS
from contacts_servicekit.migrations import migrate
from contacts_stack import PG_PORT, STATE_DIR
from contacts_testing.infra import LocalPostgres
from importer_sizes import footprint, wal_lsn
from kit import log, machine_lock

SCHEMA = "contacts_footprint"
INSERT = """
INSERT INTO contacts (owner_id, contact_user_id, display_name, sort_name, connect_id,
                      contact_company_id, source, import_id, archived_at)
SELECT owners.id, gen_random_uuid(), names.name, lower(names.name),
       upper(substr(md5(n::text), 1, 8)),
       CASE WHEN n % 5 = 0 THEN owners.company END,
       'list_import', owners.import_id, CASE WHEN n % 5 = 1 THEN now() END
  FROM generate_series(0, $1 - 1) AS n
  JOIN (SELECT o, gen_random_uuid() AS id, gen_random_uuid() AS company,
               gen_random_uuid() AS import_id
          FROM generate_series(0, $1 / $2) AS o) AS owners ON owners.o = n / $2
 CROSS JOIN LATERAL (SELECT 'Name ' || md5(n::text) AS name) AS names
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=1_000_000, help="contacts to add")
    parser.add_argument("--per-owner", type=int, default=1_000, help="contacts in each list")
    return parser.parse_args(argv)


async def measure(dsn: str, contacts: int, per_owner: int) -> None:
    conn = await asyncpg.connect(dsn, server_settings={"search_path": SCHEMA})
    try:
        await conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}")
        await migrate(conn, SCHEMA, [*MESSAGING_MIGRATIONS, *OWN_MIGRATIONS])
        with machine_lock("contacts footprint"):
            since = await wal_lsn(dsn)
            await conn.execute(INSERT, contacts, per_owner)
            await conn.execute("VACUUM (ANALYZE) contacts")
            used = await footprint(dsn, SCHEMA, since)
        print(f"{contacts:,} contacts in lists of {per_owner:,}: WAL {used.wal_bytes / 2**20:,.0f}"
              f" MB ({used.wal_bytes / contacts:,.0f} B/contact)")  # fmt: skip
        for name, size in used.tables:
            if size >= 2**20:
                print(f"  {name:<28} {size / 2**20:8,.0f} MB  {size / contacts:6,.0f} B/contact")
        print(f"  {'all tables':<28} {used.total_bytes / 2**20:8,.0f} MB  "
              f"{used.total_bytes / contacts:6,.0f} B/contact")  # fmt: skip
    finally:
        await conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        await conn.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    postgres = LocalPostgres(port=PG_PORT, state_dir=STATE_DIR)
    log(f"starting postgres :{PG_PORT} (state {STATE_DIR})")
    postgres.start()
    try:
        asyncio.run(measure(postgres.admin_url, args.contacts, args.per_owner))
    finally:
        log("stopping postgres")
        postgres.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
