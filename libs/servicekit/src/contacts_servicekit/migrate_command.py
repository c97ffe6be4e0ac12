"""``<service>-service migrate``: apply one service's migrations once, then exit.

The Helm chart runs it in a Job before each release's replicas start (they run with
``DB_MIGRATE_ON_START=false``). Exit status: 0 when the schema is up to date (whether this run
applied anything or an earlier one had: it is safe to run again, and two runs at once take turns
under the migrations' advisory lock), 1 when Postgres refused or could not be reached, or an
applied migration was changed; 2 for a bad setting (as when serving).
"""

from __future__ import annotations

import asyncio
import sys

import asyncpg
import structlog

from contacts_servicekit.migrations import Migration, MigrationError
from contacts_servicekit.schema_setup import apply_migrations
from contacts_servicekit.settings import ServiceSettings

log = structlog.get_logger(__name__)
CONNECT_TIMEOUT_SECONDS = 30.0
_FAILURES = (MigrationError, OSError, asyncio.TimeoutError, asyncpg.PostgresError)


def run_migrations(settings: ServiceSettings, migrations: list[Migration]) -> int:
    """Migrate the service's schema; the exit status (logged as ``db.migrate_done`` or
    ``db.migrate_failed``, and the reason on stderr)."""
    try:
        applied = asyncio.run(_migrate(settings, migrations))
    except _FAILURES as error:
        log.error("db.migrate_failed", schema=settings.db_schema, error=repr(error))
        print(f"{settings.service_name}-service migrate: {error}", file=sys.stderr)
        return 1
    log.info(
        "db.migrate_done",
        schema=settings.db_schema,
        applied=applied,
        already_applied=len(migrations) - len(applied),
    )
    return 0


async def _migrate(settings: ServiceSettings, migrations: list[Migration]) -> list[str]:
    conn = await asyncpg.connect(
        settings.database_url,
        timeout=CONNECT_TIMEOUT_SECONDS,
        server_settings={
            "search_path": settings.db_schema,
            "application_name": f"{settings.service_name}-migrate",
        },
    )
    try:
        return await apply_migrations(conn, settings.db_schema, migrations)
    finally:
        await conn.close()
