"""Applying directory events to the local projection (consumer group `contacts.directory`)."""

from __future__ import annotations

import asyncpg
from contacts_events import (
    CompanyCreated,
    CompanyMemberJoined,
    CompanyMemberLeft,
    ContactPointCreated,
    ContactPointRemoved,
    UserDeactivated,
    UserProfileChanged,
    UserRegistered,
)
from contacts_events.envelope import CloudEvent
from contacts_messaging.inbox import Handler

from contacts_service.adapters import projection


def directory_handlers() -> dict[str, Handler]:
    async def user_profile(event: CloudEvent, conn: asyncpg.Connection) -> None:
        data = event.data
        assert isinstance(data, UserRegistered | UserProfileChanged)
        await projection.upsert_user(
            conn, data.user_id, data.connect_id, data.display_name, event.time
        )

    async def user_deactivated(event: CloudEvent, conn: asyncpg.Connection) -> None:
        data = event.data
        assert isinstance(data, UserDeactivated)
        await projection.deactivate_user(conn, data.user_id, event.time)
        # leaving every list is the closure's (closures.py, group contacts.accounts)

    async def company_created(event: CloudEvent, conn: asyncpg.Connection) -> None:
        data = event.data
        assert isinstance(data, CompanyCreated)
        await projection.upsert_company(conn, data.company_id, data.company_name)

    async def member_joined(event: CloudEvent, conn: asyncpg.Connection) -> None:
        data = event.data
        assert isinstance(data, CompanyMemberJoined)
        await projection.add_member(conn, data.company_id, data.user_id)

    async def member_left(event: CloudEvent, conn: asyncpg.Connection) -> None:
        data = event.data
        assert isinstance(data, CompanyMemberLeft)
        await projection.remove_member(conn, data.company_id, data.user_id)

    async def point_created(event: CloudEvent, conn: asyncpg.Connection) -> None:
        data = event.data
        assert isinstance(data, ContactPointCreated)
        await projection.add_contact_point(
            conn, data.company_id, data.contact_point_id, data.connect_id, data.display_name
        )

    async def point_removed(event: CloudEvent, conn: asyncpg.Connection) -> None:
        data = event.data
        assert isinstance(data, ContactPointRemoved)
        await projection.remove_contact_point(conn, data.company_id, data.contact_point_id)

    return {
        UserRegistered.name: user_profile,
        UserProfileChanged.name: user_profile,
        UserDeactivated.name: user_deactivated,
        CompanyCreated.name: company_created,
        CompanyMemberJoined.name: member_joined,
        CompanyMemberLeft.name: member_left,
        ContactPointCreated.name: point_created,
        ContactPointRemoved.name: point_removed,
    }
