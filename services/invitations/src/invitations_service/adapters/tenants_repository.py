"""Tenants (companies) in Postgres: their members and phone regions (a projection of the
directory's events), and the destination countries their admins set."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

# The distinct regions of one company's members: a loose index scan, one probe per region.
_MEMBER_REGIONS = """
WITH RECURSIVE found AS (
    SELECT min(phone_region) AS region FROM company_members WHERE company_id = $1
    UNION ALL
    SELECT (SELECT min(phone_region) FROM company_members
            WHERE company_id = $1 AND phone_region > found.region)
    FROM found WHERE found.region IS NOT NULL
)
SELECT region FROM found WHERE region IS NOT NULL
"""


async def company_of(conn: asyncpg.Connection, user_id: UUID) -> asyncpg.Record | None:
    """The user's membership (company_id, role), if the directory said they have one."""
    return await conn.fetchrow(
        "SELECT company_id, role FROM company_members WHERE user_id = $1", user_id
    )


async def join(
    conn: asyncpg.Connection, company_id: UUID, user_id: UUID, role: str, version: datetime
) -> None:
    await conn.execute(
        "INSERT INTO company_members (user_id, company_id, role, phone_region, version)"
        " VALUES ($1, $2, $3, (SELECT phone_region FROM directory_users WHERE user_id = $1), $4)"
        " ON CONFLICT (user_id) DO UPDATE SET company_id = excluded.company_id,"
        " role = excluded.role, phone_region = excluded.phone_region, version = excluded.version"
        " WHERE company_members.version <= excluded.version",
        user_id, company_id, role, version,
    )  # fmt: skip


async def leave(conn: asyncpg.Connection, company_id: UUID, user_id: UUID) -> None:
    await conn.execute(
        "DELETE FROM company_members WHERE user_id = $1 AND company_id = $2", user_id, company_id
    )


async def copy_phone_region(conn: asyncpg.Connection, user_id: UUID) -> None:
    """The member's row follows the region of the user's current phone."""
    await conn.execute(
        "UPDATE company_members m SET phone_region = u.phone_region FROM directory_users u"
        " WHERE m.user_id = $1 AND u.user_id = $1 AND m.phone_region IS DISTINCT FROM u.phone_region",
        user_id,
    )


async def has_member_in(conn: asyncpg.Connection, company_id: UUID, region: str) -> bool:
    found = await conn.fetchval(
        "SELECT true FROM company_members WHERE company_id = $1 AND phone_region = $2 LIMIT 1",
        company_id, region,
    )  # fmt: skip
    return bool(found)


async def member_regions(conn: asyncpg.Connection, company_id: UUID) -> list[str]:
    return [r["region"] for r in await conn.fetch(_MEMBER_REGIONS, company_id)]


async def explicit_countries(conn: asyncpg.Connection, tenant_id: UUID) -> list[str] | None:
    """The list the tenant's admins set, or None when they set none (members' regions apply)."""
    countries: list[str] | None = await conn.fetchval(
        "SELECT countries FROM tenant_destination_countries WHERE tenant_id = $1", tenant_id
    )
    return countries


async def set_countries(
    conn: asyncpg.Connection, tenant_id: UUID, countries: list[str], changed_by: str
) -> None:
    await conn.execute(
        "INSERT INTO tenant_destination_countries (tenant_id, countries, changed_by) VALUES ($1, $2, $3)"
        " ON CONFLICT (tenant_id) DO UPDATE SET countries = excluded.countries,"
        " changed_by = excluded.changed_by, changed_at = now()",
        tenant_id, countries, changed_by,
    )  # fmt: skip


async def clear_countries(conn: asyncpg.Connection, tenant_id: UUID) -> None:
    await conn.execute("DELETE FROM tenant_destination_countries WHERE tenant_id = $1", tenant_id)
