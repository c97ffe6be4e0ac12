"""A service's schema made ready: migrated at start-up, or by a release's migration job.

``DB_MIGRATE_ON_START=true`` (the default, the local platform's way) lets every instance apply
what is missing at start-up; the advisory lock in :func:`contacts_servicekit.migrations.migrate`
makes the instances take turns. A deployment of many replicas applies the migrations once per
release instead (``<service>-service migrate``, the Helm chart's hook Job) and starts its
replicas with ``DB_MIGRATE_ON_START=false``: they then only check that nothing is pending, and
refuse to start on a schema older than their code rather than fail later on a missing column.
"""

from __future__ import annotations

import asyncpg

from contacts_servicekit.identifiers import sql_identifier
from contacts_servicekit.migrations import Migration, MigrationError, migrate
from contacts_servicekit.settings import ServiceSettings


async def prepare_schema(
    conn: asyncpg.Connection, settings: ServiceSettings, migrations: list[Migration]
) -> None:
    """At start-up: apply the migrations, or with ``DB_MIGRATE_ON_START=false`` check that
    they all were (:class:`MigrationError` naming the missing ones otherwise)."""
    if settings.db_migrate_on_start:
        await apply_migrations(conn, settings.db_schema, migrations)
        return
    missing = await pending(conn, migrations)
    if missing:
        raise MigrationError(
            f"schema {settings.db_schema} lacks {len(missing)} migration(s) "
            f"({', '.join(missing)}) and DB_MIGRATE_ON_START is false: "
            f"run `{settings.service_name}-service migrate` (the release's migration job) first"
        )


async def apply_migrations(
    conn: asyncpg.Connection, schema: str, migrations: list[Migration]
) -> list[str]:
    """Create `schema` when it does not exist yet, then apply what is missing; return the ids
    applied now. The schema is created only when missing: a service's role may use a schema
    made for it (deploy/sql/bootstrap.sql) without the right to create one."""
    exists = await conn.fetchval("SELECT to_regnamespace($1) IS NOT NULL", schema)
    if not exists:
        await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {sql_identifier(schema)}")
    return await migrate(conn, schema, migrations)


async def pending(conn: asyncpg.Connection, migrations: list[Migration]) -> list[str]:
    """The ids of `migrations` not recorded in the schema (all of them in an empty schema)."""
    table = await conn.fetchval("SELECT to_regclass('schema_migrations')")
    applied: set[str] = set()
    if table is not None:
        applied = {row["id"] for row in await conn.fetch("SELECT id FROM schema_migrations")}
    return [migration.id for migration in migrations if migration.id not in applied]
