"""The invitations service's copy of the directory: users' names and phone regions (for the
messages and the destination countries) and who belongs to which company (the tenants)."""

from __future__ import annotations

from datetime import datetime

import asyncpg
from contacts_events import (
    CompanyMemberJoined,
    CompanyMemberLeft,
    UserProfileChanged,
    UserRegistered,
)

from invitations_service.adapters import tenants_repository as tenants
from invitations_service.domain.destinations import region_of


async def remember_user(
    conn: asyncpg.Connection, user: UserRegistered | UserProfileChanged, time: datetime
) -> None:
    """Keep the user's newest name and phone (an older event, by its `time`, never overwrites
    a newer one)."""
    await conn.execute(
        "INSERT INTO directory_users (user_id, display_name, phone_e164, phone_region, version)"
        " VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name,"
        " phone_e164 = excluded.phone_e164, phone_region = excluded.phone_region,"
        " version = excluded.version WHERE directory_users.version <= excluded.version",
        user.user_id, user.display_name, user.phone_e164, region_of(user.phone_e164), time,
    )  # fmt: skip
    await tenants.copy_phone_region(conn, user.user_id)


async def member_joined(
    conn: asyncpg.Connection, joined: CompanyMemberJoined, time: datetime
) -> None:
    await tenants.join(conn, joined.company_id, joined.user_id, joined.role.value, time)


async def member_left(conn: asyncpg.Connection, left: CompanyMemberLeft) -> None:
    await tenants.leave(conn, left.company_id, left.user_id)
