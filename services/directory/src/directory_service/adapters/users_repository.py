"""Users and ConnectIDs in Postgres (the caller holds the connection and the transaction)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
from contacts_events import connect_id as cid
from contacts_servicekit.errors import Conflict

from directory_service.domain.model import PublicProfile, User

_USER = """
SELECT u.user_id, u.connect_id, u.display_name, u.phone_e164, u.email, u.status, u.created_at,
       m.company_id, m.role AS company_role
FROM users u LEFT JOIN memberships m USING (user_id)
WHERE u.user_id = $1
"""

_UNIQUE_FIELDS = {"users_active_phone": "phone", "users_active_email": "email"}


async def allocate_connect_id(conn: asyncpg.Connection, kind: str, owner_id: UUID) -> cid.ConnectId:
    """Reserve a new, unused ConnectID for a user or contact point."""
    while True:
        candidate = cid.generate()
        if await conn.fetchval(
            "INSERT INTO connect_ids (connect_id, kind, owner_id) VALUES ($1, $2, $3)"
            " ON CONFLICT (connect_id) DO NOTHING RETURNING true",
            candidate,
            kind,
            owner_id,
        ):
            return candidate


async def insert_user(conn: asyncpg.Connection, **fields: Any) -> None:
    columns = ", ".join(fields)
    values = ", ".join(f"${i}" for i in range(1, len(fields) + 1))
    try:
        async with conn.transaction():
            await conn.execute(f"INSERT INTO users ({columns}) VALUES ({values})", *fields.values())
    except asyncpg.UniqueViolationError as error:
        raise _taken(error) from None


async def update_user(conn: asyncpg.Connection, user_id: UUID, **fields: Any) -> None:
    assignments = ", ".join(f"{name} = ${i}" for i, name in enumerate(fields, start=2))
    try:
        async with conn.transaction():
            await conn.execute(
                f"UPDATE users SET {assignments}, updated_at = now() WHERE user_id = $1",
                user_id,
                *fields.values(),
            )
    except asyncpg.UniqueViolationError as error:
        raise _taken(error) from None


async def get_user(
    conn: asyncpg.Connection, user_id: UUID, *, for_update: bool = False
) -> User | None:
    row = await conn.fetchrow(_USER + (" FOR UPDATE OF u" if for_update else ""), user_id)
    return User(**dict(row)) if row else None


async def deactivate(conn: asyncpg.Connection, user_id: UUID) -> None:
    await conn.execute(
        "UPDATE users SET status = 'deactivated', deactivated_at = now(), updated_at = now()"
        " WHERE user_id = $1",
        user_id,
    )


async def public_profile(
    conn: asyncpg.Connection, connect_id: cid.ConnectId
) -> PublicProfile | None:
    row = await conn.fetchrow(
        """
        SELECT c.connect_id, c.kind = 'contact_point' AS is_contact_point,
               coalesce(u.display_name, p.display_name) AS display_name,
               co.name AS company_name
        FROM connect_ids c
        LEFT JOIN users u ON c.kind = 'user' AND u.user_id = c.owner_id AND u.status = 'active'
        LEFT JOIN memberships m ON m.user_id = u.user_id
        LEFT JOIN contact_points p ON c.kind = 'contact_point'
               AND p.contact_point_id = c.owner_id AND p.removed_at IS NULL
        LEFT JOIN companies co ON co.company_id = coalesce(m.company_id, p.company_id)
        WHERE c.connect_id = $1 AND (u.user_id IS NOT NULL OR p.contact_point_id IS NOT NULL)
        """,
        connect_id,
    )
    return PublicProfile(**dict(row)) if row else None


def _taken(error: asyncpg.UniqueViolationError) -> Conflict:
    field = _UNIQUE_FIELDS.get(error.constraint_name or "", "user")
    return Conflict(f"{field}_taken", f"This {field} already belongs to another user.", field)
