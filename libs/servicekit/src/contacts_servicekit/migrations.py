"""Versioned SQL migrations, applied at start-up, safe to run twice and from several instances.

A migration is a file `NNNN_description.sql` in a component's folder (the messaging library's
outbox/inbox tables, then the service's own). Each number is used once: two files sharing one
would be applied in an order their names decide, which two people adding "the next migration"
at once never meant, so discovery refuses them (and any `.sql` file the pattern would skip
silently). Applied ids and checksums are recorded in
`schema_migrations` of the service schema; editing an applied file is an error, not a silent
skip. An advisory lock serialises concurrent starts.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import structlog

log = structlog.get_logger(__name__)
_FILE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# Shipped before duplicate numbers were refused. Their ids are recorded in deployed schemas,
# so renaming one would apply it a second time: they stay, and nothing joins them.
_SHIPPED_DUPLICATES = frozenset(
    {"importer/0002_chunk_checks.sql", "importer/0002_phone_match_quota.sql"}
)


@dataclass(frozen=True)
class Migration:
    id: str  # component/filename
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


class MigrationError(RuntimeError):
    pass


def discover(component: str, folder: Path) -> list[Migration]:
    """The migrations in `folder` (none when it does not exist), in file-name order.

    Raises MigrationError for a `.sql` file whose name is not `NNNN_description.sql` and for
    a number two files share, naming the files."""
    if not folder.is_dir():
        return []
    names = sorted(p.name for p in folder.iterdir() if p.suffix == ".sql")
    by_number: dict[str, list[str]] = {}
    for name in names:
        matched = _FILE.match(name)
        if matched is None:
            raise MigrationError(
                f"{component}/{name}: a migration is named NNNN_description.sql "
                "(four digits, then lower-case letters, digits and underscores)"
            )
        by_number.setdefault(matched[1], []).append(f"{component}/{name}")
    for number, ids in by_number.items():
        if len(ids) > 1 and not _SHIPPED_DUPLICATES.issuperset(ids):
            raise MigrationError(
                f"migrations {', '.join(ids)} share the number {number}: give each its own"
            )
    return [Migration(f"{component}/{name}", (folder / name).read_text()) for name in names]


async def migrate(conn: asyncpg.Connection, schema: str, migrations: list[Migration]) -> list[str]:
    """Apply the missing migrations in order; return the ids applied now."""
    applied_now: list[str] = []
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", f"{schema}.migrations")
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " id text PRIMARY KEY, checksum text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {r["id"]: r["checksum"] for r in await conn.fetch("SELECT * FROM schema_migrations")}
        for migration in migrations:
            if migration.id in done:
                if done[migration.id] != migration.checksum:
                    raise MigrationError(f"migration {migration.id} changed after it was applied")
                continue
            await conn.execute(migration.sql)
            await conn.execute(
                "INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)",
                migration.id,
                migration.checksum,
            )
            applied_now.append(migration.id)
    if applied_now:
        log.info("db.migrated", schema=schema, applied=applied_now)
    return applied_now
