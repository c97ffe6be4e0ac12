"""Load a schema's tables and indexes into Postgres' shared buffers before measuring.

A bulk COPY goes through a small ring of buffers, so right after seeding most pages are only
in the kernel's page cache, which this kind of VM reclaims once idle: the first look-ups of a
run would then read from disk. A service that has been running has its hot pages in shared
buffers; `pg_prewarm` puts them there (the Debian server package ships the extension).
"""

from __future__ import annotations

import asyncpg


async def prewarm(conn: asyncpg.Connection, schema: str) -> int:
    """Read every table and index of `schema` into shared buffers; the blocks read."""
    await conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
    blocks = await conn.fetchval(
        "SELECT coalesce(sum(pg_prewarm(c.oid)), 0) FROM pg_class c"
        " WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'i')",
        schema,
    )
    return int(blocks)
