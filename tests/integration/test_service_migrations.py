"""Migrations once per release: `<service>-service migrate` and DB_MIGRATE_ON_START=false.

The Helm chart runs the command in a hook Job before a release's replicas start, and starts them
with DB_MIGRATE_ON_START=false; these tests run the real console scripts against a real Postgres.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import asyncpg
import pytest
from contacts_messaging.schema import with_messaging
from contacts_service.entrypoints.app import OWN_MIGRATIONS as CONTACTS_MIGRATIONS
from contacts_servicekit.migrations import Migration
from contacts_testing.service_process import ServiceProcess
from contacts_web.entrypoints.app import MIGRATIONS as WEB_MIGRATIONS
from contacts_web.settings import WebSettings
from directory_service.entrypoints.app import OWN_MIGRATIONS as DIRECTORY_MIGRATIONS
from importer_service.entrypoints.app import OWN_MIGRATIONS as IMPORTER_MIGRATIONS
from invitations_service.entrypoints.app import OWN_MIGRATIONS as INVITATIONS_MIGRATIONS

pytestmark = pytest.mark.integration

ALL_MIGRATIONS: dict[str, list[Migration]] = {
    "directory": with_messaging(DIRECTORY_MIGRATIONS),
    "contacts": with_messaging(CONTACTS_MIGRATIONS),
    "importer": with_messaging(IMPORTER_MIGRATIONS),
    "invitations": with_messaging(INVITATIONS_MIGRATIONS),
    "web": WEB_MIGRATIONS,
}
NOTHING_LISTENS = "postgresql://postgres:postgres@127.0.0.1:9/contacts_platform"


@pytest.fixture
async def fresh_schema(
    postgres_admin_url: str, unique_name: Callable[[str], str]
) -> AsyncIterator[str]:
    """A schema name that does not exist yet (the command creates it); dropped after."""
    schema = unique_name("m")
    yield schema
    conn = await asyncpg.connect(postgres_admin_url)
    try:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await conn.close()


def migrate_command(name: str, database_url: str, schema: str) -> subprocess.Popen[str]:
    executable = Path(sys.executable).parent / f"{name}-service"
    env = {**os.environ, "DATABASE_URL": database_url, "DB_SCHEMA": schema, "LOG_FORMAT": "json"}
    return subprocess.Popen(
        [str(executable), "migrate"], env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def finished(process: subprocess.Popen[str]) -> tuple[int, list[dict[str, object]], str]:
    """The exit status, the JSON log records and stderr's other lines."""
    out, err = process.communicate(timeout=120)
    lines = (out + err).splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    return (
        process.returncode,
        records,
        "\n".join(line for line in lines if not line.startswith("{")),
    )


def started_without_migrating(
    name: str, database_url: str, schema: str, tmp_path: Path
) -> ServiceProcess:
    """`<name>-service` started with DB_MIGRATE_ON_START=false."""
    env = {"DATABASE_URL": database_url, "DB_SCHEMA": schema, "DB_MIGRATE_ON_START": "false"}
    service = ServiceProcess(name, env, tmp_path / f"{name}.log")
    service.start()
    return service


async def applied_ids(admin_url: str, schema: str) -> list[str]:
    conn = await asyncpg.connect(admin_url)
    try:
        rows = await conn.fetch(f'SELECT id FROM "{schema}".schema_migrations ORDER BY id')
    finally:
        await conn.close()
    return [row["id"] for row in rows]


async def tables_of(admin_url: str, schema: str) -> set[str]:
    conn = await asyncpg.connect(admin_url)
    try:
        rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = $1", schema)
    finally:
        await conn.close()
    return {row["tablename"] for row in rows}


@pytest.mark.parametrize("name", sorted(ALL_MIGRATIONS))
async def test_each_service_migrate_command_migrates_a_fresh_schema_and_exits_0(
    name, postgres_admin_url, fresh_schema
):
    status, records, errors = finished(migrate_command(name, postgres_admin_url, fresh_schema))

    assert status == 0, errors
    expected = sorted(migration.id for migration in ALL_MIGRATIONS[name])
    assert await applied_ids(postgres_admin_url, fresh_schema) == expected
    done = [r for r in records if r["event"] == "db.migrate_done"]
    assert done and done[0]["applied"] == [m.id for m in ALL_MIGRATIONS[name]]


async def test_the_command_run_again_applies_nothing_and_still_exits_0(
    postgres_admin_url, fresh_schema
):
    assert finished(migrate_command("contacts", postgres_admin_url, fresh_schema))[0] == 0

    status, records, _ = finished(migrate_command("contacts", postgres_admin_url, fresh_schema))

    assert status == 0
    done = next(r for r in records if r["event"] == "db.migrate_done")
    assert done["applied"] == []
    assert done["already_applied"] == len(ALL_MIGRATIONS["contacts"])


async def test_two_commands_at_once_take_turns_and_both_succeed(postgres_admin_url, fresh_schema):
    first = migrate_command("invitations", postgres_admin_url, fresh_schema)
    second = migrate_command("invitations", postgres_admin_url, fresh_schema)

    results = [finished(first), finished(second)]

    assert [status for status, _, _ in results] == [0, 0], [errors for *_, errors in results]
    applied = [next(r for r in records if r["event"] == "db.migrate_done")["applied"]
               for _, records, _ in results]  # fmt: skip
    assert sorted(map(len, applied)) == [0, len(ALL_MIGRATIONS["invitations"])]
    ids = await applied_ids(postgres_admin_url, fresh_schema)
    assert ids == sorted(m.id for m in ALL_MIGRATIONS["invitations"])


def test_an_unreachable_database_exits_1_with_the_reason(fresh_schema):
    status, records, errors = finished(migrate_command("web", NOTHING_LISTENS, fresh_schema))

    assert status == 1
    assert "web-service migrate:" in errors
    assert any(r["event"] == "db.migrate_failed" for r in records)


def test_an_unknown_command_is_a_usage_error(fresh_schema):
    executable = Path(sys.executable).parent / "web-service"
    result = subprocess.run(
        [str(executable), "migrat"], capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 2
    assert "invalid choice: 'migrat'" in result.stderr


async def test_with_migrate_on_start_false_a_service_refuses_an_unmigrated_schema(
    postgres_admin_url, service_schema, tmp_path
):
    """`service_schema` holds the messaging tables only: the service's own are pending."""
    before = await tables_of(postgres_admin_url, service_schema)
    service = started_without_migrating("contacts", postgres_admin_url, service_schema, tmp_path)
    try:
        assert service.process is not None
        assert service.process.wait(timeout=60) != 0
    finally:
        service.kill()

    log = service.log_path.read_text()
    assert "DB_MIGRATE_ON_START is false" in log
    assert "run `contacts-service migrate`" in log
    assert await tables_of(postgres_admin_url, service_schema) == before


async def test_with_migrate_on_start_false_a_migrated_schema_serves(
    postgres_admin_url, fresh_schema, tmp_path
):
    """The web app: a service without Kafka, so /ready depends on Postgres alone."""
    assert finished(migrate_command("web", postgres_admin_url, fresh_schema))[0] == 0
    service = started_without_migrating("web", postgres_admin_url, fresh_schema, tmp_path)
    try:
        assert service.wait_for("/ready").json()["checks"] == {"postgres": "ok"}
    finally:
        service.kill()
    assert WebSettings.model_fields["db_migrate_on_start"].default is True
