"""Each service's database role reaches its own schema and nothing else."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

pytestmark = pytest.mark.integration

SERVICES = ("directory", "contacts", "importer", "invitations")
BOOTSTRAP = Path(__file__).resolve().parents[2] / "deploy" / "sql" / "bootstrap.sql"


def as_role(admin_url: str, role: str) -> str:
    parts = urlsplit(admin_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{role}:{role}@{host}"))


@pytest.fixture(scope="module")
async def bootstrapped(postgres_admin_url: str) -> str:
    conn = await asyncpg.connect(postgres_admin_url)
    try:
        await conn.execute(BOOTSTRAP.read_text())  # idempotent: what the platform scripts run
    finally:
        await conn.close()
    return postgres_admin_url


@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_role_works_in_its_own_schema_only(bootstrapped: str, service: str) -> None:
    conn = await asyncpg.connect(as_role(bootstrapped, f"{service}_svc"))
    try:
        assert await conn.fetchval("SELECT current_schema()") == service
        await conn.execute("CREATE TABLE IF NOT EXISTS isolation_probe (x int)")
        await conn.execute("INSERT INTO isolation_probe VALUES (1)")
        await conn.execute("DROP TABLE isolation_probe")
        for other in SERVICES:
            if other == service:
                continue
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.fetch(f'SELECT * FROM "{other}".outbox')
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(f'CREATE TABLE "{other}".intruder (x int)')
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute("CREATE TABLE public.intruder (x int)")
    finally:
        await conn.close()


async def test_a_service_role_cannot_read_tables_of_another_schema_even_by_name(
    bootstrapped: str,
) -> None:
    owner = await asyncpg.connect(as_role(bootstrapped, "directory_svc"))
    intruder = await asyncpg.connect(as_role(bootstrapped, "contacts_svc"))
    try:
        await owner.execute("CREATE TABLE IF NOT EXISTS secret_probe (x int)")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await intruder.fetch("SELECT * FROM directory.secret_probe")
    finally:
        await owner.execute("DROP TABLE IF EXISTS secret_probe")
        await owner.close()
        await intruder.close()


@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_role_cannot_become_another_or_reach_around_its_schema(
    bootstrapped: str, service: str
) -> None:
    conn = await asyncpg.connect(as_role(bootstrapped, f"{service}_svc"))
    try:
        for other in SERVICES:
            if other == service:
                continue
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(f"SET ROLE {other}_svc")
            with pytest.raises((asyncpg.InsufficientPrivilegeError, asyncpg.UndefinedTableError)):
                await conn.execute(f'SET search_path = "{other}"; SELECT * FROM outbox')
            await conn.execute(f'SET search_path = "{service}"')
        for forbidden in ("CREATE SCHEMA intruder", "CREATE ROLE intruder", "SET ROLE postgres",
                          "ALTER ROLE CURRENT_USER SUPERUSER",
                          "COPY (SELECT 1) TO PROGRAM 'true'"):  # fmt: skip
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(forbidden)
    finally:
        await conn.close()
