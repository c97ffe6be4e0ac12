"""Use cases about companies: create, members join and leave, contact points."""

from __future__ import annotations

import uuid

import asyncpg
from contacts_events import (
    CompanyCreated,
    CompanyMemberJoined,
    CompanyMemberLeft,
    CompanyRole,
    ContactPointCreated,
    ContactPointRemoved,
    EventContext,
)
from contacts_messaging.outbox import Outbox
from contacts_servicekit.domain_errors import Conflicting, Missing, NotPermitted

from directory_service.adapters import companies_repository as companies
from directory_service.adapters import users_repository as users
from directory_service.domain.model import Company, ContactPoint


async def create(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext, name: str
) -> Company:
    company_id = uuid.uuid4()
    await companies.insert_company(conn, company_id, name)
    await outbox.add(conn, [CompanyCreated(company_id=company_id, company_name=name)], context)
    return Company(company_id, name)


async def visible_company(
    conn: asyncpg.Connection, company_id: uuid.UUID, viewer: uuid.UUID, *, staff: bool
) -> Company:
    """The company if the viewer is a member (or platform staff); otherwise 404, never 403."""
    company = await companies.get_company(conn, company_id)
    if company is None or (not staff and await companies.role_in(conn, company_id, viewer) is None):
        raise Missing("company_not_found", "No company with this id is visible to you.")
    return company


async def require_admin(
    conn: asyncpg.Connection, company_id: uuid.UUID, actor: uuid.UUID, *, staff: bool
) -> None:
    await visible_company(conn, company_id, actor, staff=staff)
    if not staff and await companies.role_in(conn, company_id, actor) != CompanyRole.ADMIN:
        raise NotPermitted("not_company_admin", "Only an admin of this company can do this.")


async def add_member(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext,
    company_id: uuid.UUID, user_id: uuid.UUID, role: CompanyRole,
) -> None:  # fmt: skip
    # Locked: a closure of the account either commits first (404 here) or waits for this
    # membership, and then ends it with its CompanyMemberLeft (users.deactivate).
    user = await users.get_user(conn, user_id, for_update=True)
    if user is None or user.status != "active":
        raise Missing("user_not_found", "No active user has this id.", "user_id")
    await companies.add_member(conn, company_id, user_id, role)
    await outbox.add(
        conn, [CompanyMemberJoined(company_id=company_id, user_id=user_id, role=role)], context
    )


async def remove_member(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext,
    company_id: uuid.UUID, user_id: uuid.UUID,
) -> None:  # fmt: skip
    # Locked before deciding: a second removal (or the account's closure) that committed
    # meanwhile finds no member here, instead of announcing the leave twice.
    role = await companies.role_in(conn, company_id, user_id, for_update=True)
    if role is None:
        raise Missing("member_not_found", "This user is not a member of the company.", "user_id")
    if role == CompanyRole.ADMIN and await companies.count_admins(conn, company_id) == 1:
        raise Conflicting(
            "last_admin", "The company's last admin cannot leave; name another admin first."
        )
    await companies.remove_member(conn, company_id, user_id)
    await outbox.add(conn, [CompanyMemberLeft(company_id=company_id, user_id=user_id)], context)


async def create_contact_point(
    conn: asyncpg.Connection,
    outbox: Outbox,
    context: EventContext,
    company_id: uuid.UUID,
    name: str,
) -> ContactPoint:
    point_id = uuid.uuid4()
    connect_id = await users.allocate_connect_id(conn, "contact_point", point_id)
    await companies.insert_contact_point(conn, point_id, company_id, connect_id, name)
    event = ContactPointCreated(
        company_id=company_id, contact_point_id=point_id, connect_id=connect_id, display_name=name
    )
    await outbox.add(conn, [event], context)
    return ContactPoint(point_id, company_id, connect_id, name)


async def list_contact_points(
    conn: asyncpg.Connection, company_id: uuid.UUID, after: tuple[str, uuid.UUID] | None,
    limit: int,
) -> list[ContactPoint]:  # fmt: skip
    return await companies.contact_points(conn, company_id, after, limit)


async def remove_contact_point(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext,
    company_id: uuid.UUID, point_id: uuid.UUID,
) -> None:  # fmt: skip
    if not await companies.remove_contact_point(conn, company_id, point_id):
        raise Missing("contact_point_not_found", "The company has no such contact point.")
    event = ContactPointRemoved(company_id=company_id, contact_point_id=point_id)
    await outbox.add(conn, [event], context)
