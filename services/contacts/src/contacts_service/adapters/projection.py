"""The local projection of the directory: users, companies, members, contact points.

Every write is idempotent (upserts, deletes) and user rows only move forward in time, so
events can be replayed, redelivered, or rebuilt from the topics without harm.

A contact row copies its user's name, ConnectID and company from here when it is added, and
a change here is copied into the user's contact rows. An add holds both accounts open first
(`hold_open`), and a change of what adds copy takes the user's account lock exclusively
first (`hold_exclusively`): so either the add commits first and the change's copy sees its
row, or the add waits and copies the change. Without the lock, an invitee's name that came
in while their contacts were being added was missing from the inviter's list for good.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg
from contacts_messaging.accounts import store as closed_accounts

from contacts_service.domain.names import sort_name


async def upsert_user(
    conn: asyncpg.Connection, user_id: UUID, connect_id: str, display_name: str, version: datetime
) -> bool:
    """Record the user's current profile; False when a newer one is already there."""
    await closed_accounts.hold_exclusively(conn, user_id)
    applied = await conn.fetchval(
        """
        INSERT INTO directory_users (user_id, connect_id, display_name, sort_name, active, version)
        VALUES ($1, $2, $3, $4, true, $5)
        ON CONFLICT (user_id) DO UPDATE SET connect_id = excluded.connect_id,
            display_name = excluded.display_name, sort_name = excluded.sort_name,
            version = excluded.version
        WHERE directory_users.version <= excluded.version
        RETURNING true
        """,
        user_id, connect_id, display_name, sort_name(display_name), version,
    )  # fmt: skip
    if applied:
        await conn.execute(
            "UPDATE company_members SET sort_name = $2 WHERE user_id = $1",
            user_id,
            sort_name(display_name),
        )
        await conn.execute(
            "UPDATE contacts SET display_name = $2, sort_name = $3, connect_id = $4"
            " WHERE contact_user_id = $1",
            user_id, display_name, sort_name(display_name), connect_id,
        )  # fmt: skip
    return bool(applied)


async def deactivate_user(conn: asyncpg.Connection, user_id: UUID, version: datetime) -> None:
    await conn.execute(
        "UPDATE directory_users SET active = false, version = $2"
        " WHERE user_id = $1 AND version <= $2",
        user_id,
        version,
    )


async def find_user_by_connect_id(
    conn: asyncpg.Connection, connect_id: str
) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT user_id, connect_id, display_name FROM directory_users"
        " WHERE connect_id = $1 AND active",
        connect_id,
    )


async def is_contact_point(conn: asyncpg.Connection, connect_id: str) -> bool:
    return bool(
        await conn.fetchval("SELECT true FROM contact_points WHERE connect_id = $1", connect_id)
    )


async def user(conn: asyncpg.Connection, user_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT user_id, connect_id, display_name, sort_name, active FROM directory_users"
        " WHERE user_id = $1",
        user_id,
    )


async def upsert_company(conn: asyncpg.Connection, company_id: UUID, name: str | None) -> None:
    await conn.execute(
        "INSERT INTO companies (company_id, name) VALUES ($1, $2)"
        " ON CONFLICT (company_id) DO UPDATE SET name = coalesce(excluded.name, companies.name)",
        company_id,
        name,
    )


async def add_member(conn: asyncpg.Connection, company_id: UUID, user_id: UUID) -> None:
    await closed_accounts.hold_exclusively(conn, user_id)
    await upsert_company(conn, company_id, None)
    known = await user(conn, user_id)
    added = await conn.fetchval(
        "INSERT INTO company_members (company_id, user_id, sort_name) VALUES ($1, $2, $3)"
        " ON CONFLICT DO NOTHING RETURNING true",
        company_id, user_id, known["sort_name"] if known else "",
    )  # fmt: skip
    if added:
        await conn.execute(
            "UPDATE contacts SET contact_company_id = $2 WHERE contact_user_id = $1",
            user_id,
            company_id,
        )


async def remove_member(conn: asyncpg.Connection, company_id: UUID, user_id: UUID) -> None:
    await closed_accounts.hold_exclusively(conn, user_id)
    removed = await conn.execute(
        "DELETE FROM company_members WHERE company_id = $1 AND user_id = $2", company_id, user_id
    )
    if removed == "DELETE 1":
        await conn.execute(
            "UPDATE contacts SET contact_company_id = NULL"
            " WHERE contact_user_id = $1 AND contact_company_id = $2",
            user_id,
            company_id,
        )


async def add_contact_point(
    conn: asyncpg.Connection, company_id: UUID, point_id: UUID, connect_id: str, display_name: str
) -> None:
    await upsert_company(conn, company_id, None)
    await conn.execute(
        "INSERT INTO contact_points"
        " (contact_point_id, company_id, connect_id, display_name, sort_name)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        point_id, company_id, connect_id, display_name, sort_name(display_name),
    )  # fmt: skip


async def remove_contact_point(conn: asyncpg.Connection, company_id: UUID, point_id: UUID) -> None:
    await conn.execute(
        "DELETE FROM contact_points WHERE contact_point_id = $1 AND company_id = $2",
        point_id,
        company_id,
    )


PROJECTION_TABLES = ("directory_users", "companies", "company_members", "contact_points")
