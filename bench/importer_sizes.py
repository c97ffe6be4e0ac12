"""What an import leaves in Postgres, for the capacity model (docs/scaling.md): the WAL it
wrote (Postgres' write volume, what a replica and the backups receive) and the size of each
table of the scenario's schema once it is completed (before the 24-hour outbox purge)."""

from __future__ import annotations

from dataclasses import dataclass, field

import asyncpg

TABLE_SIZES = """
SELECT c.relname, pg_total_relation_size(c.oid)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
 ORDER BY 2 DESC
"""


@dataclass
class Footprint:
    """The WAL bytes written between two points and the schema's tables by size (bytes,
    indexes and TOAST included)."""

    wal_bytes: int = 0
    tables: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum(size for _, size in self.tables)


async def wal_lsn(dsn: str) -> str:
    conn = await asyncpg.connect(dsn)
    try:
        return str(await conn.fetchval("SELECT pg_current_wal_lsn()::text"))
    finally:
        await conn.close()


async def footprint(dsn: str, schema: str, since_lsn: str) -> Footprint:
    conn = await asyncpg.connect(dsn)
    try:
        wal = await conn.fetchval(
            "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::text::pg_lsn)::bigint", since_lsn
        )
        tables = [(name, int(size)) for name, size in await conn.fetch(TABLE_SIZES, schema)]
    finally:
        await conn.close()
    return Footprint(int(wal), tables)


def describe(footprint: Footprint, rows: int) -> str:
    """One line: WAL and stored bytes per import row, and the largest tables."""
    largest = ", ".join(f"{name} {size / 2**20:.0f} MB" for name, size in footprint.tables[:5])
    return (
        f"WAL {footprint.wal_bytes / 2**20:,.0f} MB ({footprint.wal_bytes / rows:,.0f} B/row); "
        f"schema {footprint.total_bytes / 2**20:,.0f} MB ({footprint.total_bytes / rows:,.0f} "
        f"B/row): {largest}"
    )
