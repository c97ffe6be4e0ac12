"""Applying directory events to the local projection (consumer group `contacts.directory`)."""

from __future__ import annotations

from uuid import UUID

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
from contacts_events.base import IntegrationEvent
from contacts_events.envelope import CloudEvent
from contacts_messaging.handlers import EventHandlers

from contacts_service.adapters import projection

directory_projection = EventHandlers[None]()
"""The group's handlers; they need nothing but the connection (`bind(None)`)."""

_COPIED = (UserRegistered, UserProfileChanged, CompanyMemberJoined, CompanyMemberLeft)


def accounts_changed(data: IntegrationEvent) -> tuple[UUID, ...]:
    """The account whose copies an event changes, which its handler takes exclusively
    (adapters/projection.py): a batch takes them all first
    (contacts_messaging.accounts.batch_locks)."""
    return (data.user_id,) if isinstance(data, _COPIED) else ()


@directory_projection.on(UserRegistered, UserProfileChanged)
async def user_profile(
    user: UserRegistered | UserProfileChanged, event: CloudEvent, conn: asyncpg.Connection, _: None
) -> None:
    await projection.upsert_user(conn, user.user_id, user.connect_id, user.display_name, event.time)


@directory_projection.on(UserDeactivated)
async def user_deactivated(
    closed: UserDeactivated, event: CloudEvent, conn: asyncpg.Connection, _: None
) -> None:
    await projection.deactivate_user(conn, closed.user_id, event.time)
    # leaving every list is the closure's (closures.py, group contacts.accounts)


@directory_projection.on(CompanyCreated)
async def company_created(
    company: CompanyCreated, event: CloudEvent, conn: asyncpg.Connection, _: None
) -> None:
    await projection.upsert_company(conn, company.company_id, company.company_name)


@directory_projection.on(CompanyMemberJoined)
async def member_joined(
    joined: CompanyMemberJoined, event: CloudEvent, conn: asyncpg.Connection, _: None
) -> None:
    await projection.add_member(conn, joined.company_id, joined.user_id)


@directory_projection.on(CompanyMemberLeft)
async def member_left(
    left: CompanyMemberLeft, event: CloudEvent, conn: asyncpg.Connection, _: None
) -> None:
    await projection.remove_member(conn, left.company_id, left.user_id)


@directory_projection.on(ContactPointCreated)
async def point_created(
    point: ContactPointCreated, event: CloudEvent, conn: asyncpg.Connection, _: None
) -> None:
    await projection.add_contact_point(
        conn, point.company_id, point.contact_point_id, point.connect_id, point.display_name
    )


@directory_projection.on(ContactPointRemoved)
async def point_removed(
    point: ContactPointRemoved, event: CloudEvent, conn: asyncpg.Connection, _: None
) -> None:
    await projection.remove_contact_point(conn, point.company_id, point.contact_point_id)
