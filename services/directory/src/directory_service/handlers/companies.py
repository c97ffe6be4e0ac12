"""Use cases about companies: create, members join and leave, contact points. Each takes the
unit of work of one transaction (handlers/company_ports.py): no SQL, no HTTP."""

from __future__ import annotations

import uuid

from contacts_events import (
    CompanyCreated,
    CompanyMemberJoined,
    CompanyMemberLeft,
    CompanyRole,
    ContactPointCreated,
    ContactPointRemoved,
)
from contacts_servicekit.domain_errors import Conflicting, Missing, NotPermitted

from directory_service.domain.model import Company, ContactPoint
from directory_service.handlers.company_ports import CompaniesWork


async def create(work: CompaniesWork, name: str) -> Company:
    company_id = uuid.uuid4()
    await work.companies.insert_company(company_id, name)
    work.emit(CompanyCreated(company_id=company_id, company_name=name))
    return Company(company_id, name)


async def visible_company(
    work: CompaniesWork, company_id: uuid.UUID, viewer: uuid.UUID, *, staff: bool
) -> Company:
    """The company if the viewer is a member (or platform staff); otherwise Missing, never
    NotPermitted (a company one is not in is not there)."""
    company = await work.companies.get_company(company_id)
    if company is None or (not staff and await work.companies.role_in(company_id, viewer) is None):
        raise Missing("company_not_found", "No company with this id is visible to you.")
    return company


async def require_admin(
    work: CompaniesWork, company_id: uuid.UUID, actor: uuid.UUID, *, staff: bool
) -> None:
    await visible_company(work, company_id, actor, staff=staff)
    if not staff and await work.companies.role_in(company_id, actor) != CompanyRole.ADMIN:
        raise NotPermitted("not_company_admin", "Only an admin of this company can do this.")


async def add_member(
    work: CompaniesWork, company_id: uuid.UUID, user_id: uuid.UUID, role: CompanyRole
) -> None:
    # Locked: a closure of the account either commits first (Missing here) or waits for this
    # membership, and then ends it with its CompanyMemberLeft (users.deactivate).
    user = await work.users.get_user(user_id, for_update=True)
    if user is None or user.status != "active":
        raise Missing("user_not_found", "No active user has this id.", "user_id")
    if await work.companies.get_company(company_id) is None:
        raise Missing("company_not_found", "No company has this id.", "company_id")
    if not await work.companies.insert_member(company_id, user_id, role):
        raise Conflicting(
            "already_member", "This user is already a member of a company.", "user_id"
        )
    work.emit(CompanyMemberJoined(company_id=company_id, user_id=user_id, role=role))


async def remove_member(work: CompaniesWork, company_id: uuid.UUID, user_id: uuid.UUID) -> None:
    # Locked before deciding: a second removal (or the account's closure) that committed
    # meanwhile finds no member here, instead of announcing the leave twice.
    role = await work.companies.role_in(company_id, user_id, for_update=True)
    if role is None:
        raise Missing("member_not_found", "This user is not a member of the company.", "user_id")
    if role == CompanyRole.ADMIN and await work.companies.count_admins(company_id) == 1:
        raise Conflicting(
            "last_admin", "The company's last admin cannot leave; name another admin first."
        )
    await work.companies.remove_member(company_id, user_id)
    work.emit(CompanyMemberLeft(company_id=company_id, user_id=user_id))


async def create_contact_point(
    work: CompaniesWork, company_id: uuid.UUID, name: str
) -> ContactPoint:
    point_id = uuid.uuid4()
    connect_id = await work.users.allocate_connect_id("contact_point", point_id)
    await work.companies.insert_contact_point(point_id, company_id, connect_id, name)
    work.emit(
        ContactPointCreated(
            company_id=company_id, contact_point_id=point_id, connect_id=connect_id,
            display_name=name,
        )
    )  # fmt: skip
    return ContactPoint(point_id, company_id, connect_id, name)


async def list_contact_points(
    work: CompaniesWork, company_id: uuid.UUID, after: tuple[str, uuid.UUID] | None, limit: int
) -> list[ContactPoint]:
    return await work.companies.contact_points(company_id, after, limit)


async def remove_contact_point(
    work: CompaniesWork, company_id: uuid.UUID, point_id: uuid.UUID
) -> None:
    if not await work.companies.remove_contact_point(company_id, point_id):
        raise Missing("contact_point_not_found", "The company has no such contact point.")
    work.emit(ContactPointRemoved(company_id=company_id, contact_point_id=point_id))
