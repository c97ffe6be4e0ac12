"""Companies, memberships and contact points in Postgres."""

from __future__ import annotations

from uuid import UUID

import asyncpg
from contacts_events.connect_id import ConnectId

from directory_service.domain.model import Company, ContactPoint


async def insert_company(conn: asyncpg.Connection, company_id: UUID, name: str) -> None:
    await conn.execute("INSERT INTO companies (company_id, name) VALUES ($1, $2)", company_id, name)


async def get_company(conn: asyncpg.Connection, company_id: UUID) -> Company | None:
    row = await conn.fetchrow(
        "SELECT company_id, name FROM companies WHERE company_id = $1", company_id
    )
    return Company(**dict(row)) if row else None


async def role_in(
    conn: asyncpg.Connection, company_id: UUID, user_id: UUID, *, for_update: bool = False
) -> str | None:
    """The user's role in the company, or None when not a member (with `for_update`, the
    membership locked until the transaction ends, read after any change in flight commits)."""
    role: str | None = await conn.fetchval(
        "SELECT role FROM memberships WHERE company_id = $1 AND user_id = $2"
        + (" FOR UPDATE" if for_update else ""),
        company_id,
        user_id,
    )
    return role


async def insert_member(
    conn: asyncpg.Connection, company_id: UUID, user_id: UUID, role: str
) -> bool:
    """Make the user a member; False when they already belong to a company (any company)."""
    inserted: bool | None = await conn.fetchval(
        "INSERT INTO memberships (user_id, company_id, role) VALUES ($1, $2, $3)"
        " ON CONFLICT (user_id) DO NOTHING RETURNING true",
        user_id,
        company_id,
        role,
    )
    return bool(inserted)


async def remove_member(conn: asyncpg.Connection, company_id: UUID, user_id: UUID) -> bool:
    result = await conn.execute(
        "DELETE FROM memberships WHERE company_id = $1 AND user_id = $2", company_id, user_id
    )
    return bool(result == "DELETE 1")


async def leave_company(conn: asyncpg.Connection, user_id: UUID) -> UUID | None:
    """End the user's membership, whichever company it is of; that company, or None."""
    left: UUID | None = await conn.fetchval(
        "DELETE FROM memberships WHERE user_id = $1 RETURNING company_id", user_id
    )
    return left


async def count_admins(conn: asyncpg.Connection, company_id: UUID) -> int:
    count: int = await conn.fetchval(
        "SELECT count(*) FROM memberships WHERE company_id = $1 AND role = 'admin'", company_id
    )
    return count


async def insert_contact_point(
    conn: asyncpg.Connection, point_id: UUID, company_id: UUID, connect_id: ConnectId, name: str
) -> None:
    await conn.execute(
        "INSERT INTO contact_points (contact_point_id, company_id, connect_id, display_name)"
        " VALUES ($1, $2, $3, $4)",
        point_id,
        company_id,
        connect_id,
        name,
    )


async def contact_points(
    conn: asyncpg.Connection, company_id: UUID, after: tuple[str, UUID] | None, limit: int
) -> list[ContactPoint]:
    """At most `limit` of the company's contact points by name, those after `after` (the
    name and id of the last one of the previous page)."""
    name, point_id = after or (None, None)
    rows = await conn.fetch(
        "SELECT contact_point_id, company_id, connect_id, display_name FROM contact_points"
        " WHERE company_id = $1 AND removed_at IS NULL"
        " AND ($2::text IS NULL OR (display_name, contact_point_id) > ($2, $3::uuid))"
        " ORDER BY display_name, contact_point_id LIMIT $4",
        company_id, name, point_id, limit,
    )  # fmt: skip
    return [ContactPoint(**dict(r)) for r in rows]


async def remove_contact_point(conn: asyncpg.Connection, company_id: UUID, point_id: UUID) -> bool:
    result = await conn.execute(
        "UPDATE contact_points SET removed_at = now()"
        " WHERE company_id = $1 AND contact_point_id = $2 AND removed_at IS NULL",
        company_id,
        point_id,
    )
    return bool(result == "UPDATE 1")
