"""The invitations service's copy of the directory: users' names and phone regions (for the
messages and the destination countries) and who belongs to which company (the tenants)."""

from __future__ import annotations

import asyncpg
from contacts_events import (
    CompanyMemberJoined,
    CompanyMemberLeft,
    UserProfileChanged,
    UserRegistered,
)
from contacts_events.envelope import CloudEvent

from invitations_service.adapters import tenants_repository as tenants
from invitations_service.domain.destinations import region_of


async def remember_user(conn: asyncpg.Connection, event: CloudEvent) -> None:
    """Keep the user's newest name and phone (an older event never overwrites a newer one)."""
    user = event.data
    assert isinstance(user, UserRegistered | UserProfileChanged)
    await conn.execute(
        "INSERT INTO directory_users (user_id, display_name, phone_e164, phone_region, version)"
        " VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name,"
        " phone_e164 = excluded.phone_e164, phone_region = excluded.phone_region,"
        " version = excluded.version WHERE directory_users.version <= excluded.version",
        user.user_id, user.display_name, user.phone_e164, region_of(user.phone_e164), event.time,
    )  # fmt: skip
    await tenants.copy_phone_region(conn, user.user_id)


async def member_joined(event: CloudEvent, conn: asyncpg.Connection) -> None:
    joined = event.data
    assert isinstance(joined, CompanyMemberJoined)
    await tenants.join(conn, joined.company_id, joined.user_id, joined.role.value, event.time)


async def member_left(event: CloudEvent, conn: asyncpg.Connection) -> None:
    left = event.data
    assert isinstance(left, CompanyMemberLeft)
    await tenants.leave(conn, left.company_id, left.user_id)
