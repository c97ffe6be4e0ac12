"""Users and ConnectIDs in Postgres (the caller holds the connection and the transaction)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
from contacts_events import connect_id as cid
from contacts_servicekit.domain_errors import Conflicting

from directory_service.domain.model import User

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


async def active_by_phone(conn: asyncpg.Connection, phone_e164: str) -> User | None:
    """The active user whose (verified) number this is, if any."""
    user_id = await conn.fetchval(
        "SELECT user_id FROM users WHERE phone_e164 = $1 AND status = 'active'", phone_e164
    )
    return await get_user(conn, user_id) if user_id else None


async def deactivate(conn: asyncpg.Connection, user_id: UUID) -> None:
    await conn.execute(
        "UPDATE users SET status = 'deactivated', deactivated_at = now(), updated_at = now()"
        " WHERE user_id = $1",
        user_id,
    )


def _taken(error: asyncpg.UniqueViolationError) -> Conflicting:
    field = _UNIQUE_FIELDS.get(error.constraint_name or "", "user")
    return Conflicting(f"{field}_taken", f"This {field} already belongs to another user.", field)
