"""Use cases about users: register, change the profile, deactivate, read. Each takes the unit of
work of one transaction (handlers/user_ports.py): no SQL, no HTTP."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from contacts_events import (
    CompanyMemberJoined,
    CompanyMemberLeft,
    CompanyRole,
    DeactivationReason,
    ProfileField,
    UserDeactivated,
    UserProfileChanged,
    UserRegistered,
)
from contacts_servicekit.domain_errors import Conflicting, Missing

from directory_service.domain.model import User
from directory_service.handlers.user_ports import UsersWork


@dataclass(frozen=True)
class Registration:
    display_name: str
    phone_e164: str
    email: str | None = None
    company_id: uuid.UUID | None = None
    invitation_token: str | None = None


async def register(work: UsersWork, new: Registration, *, user_id: uuid.UUID | None = None) -> User:
    """Register a user whose phone number is verified (by a code, or by a platform backend)."""
    user_id = user_id or uuid.uuid4()
    connect_id = await work.users.allocate_connect_id("user", user_id)
    await work.users.insert_user(user_id, connect_id, new.display_name, new.phone_e164, new.email)
    work.emit(
        UserRegistered(
            user_id=user_id, connect_id=connect_id, display_name=new.display_name,
            phone_e164=new.phone_e164, email=new.email, company_id=new.company_id,
            invitation_token=new.invitation_token,
        )
    )  # fmt: skip
    if new.company_id is not None:
        await _join(work, new.company_id, user_id)
    return await read(work, user_id)


async def _join(work: UsersWork, company_id: uuid.UUID, user_id: uuid.UUID) -> None:
    """The new user joins the company they signed up into (no offer: the backend asked them)."""
    if await work.companies.get_company(company_id) is None:
        raise Missing("company_not_found", "No company has this id.", "company_id")
    if not await work.companies.insert_member(company_id, user_id, CompanyRole.MEMBER):
        raise Conflicting(
            "already_member", "This user is already a member of a company.", "user_id"
        )
    work.emit(CompanyMemberJoined(company_id=company_id, user_id=user_id, role=CompanyRole.MEMBER))


async def read(work: UsersWork, user_id: uuid.UUID, *, for_update: bool = False) -> User:
    user = await work.users.get_user(user_id, for_update=for_update)
    if user is None or user.status != "active":
        raise Missing("user_not_found", "No active user has this id.")
    return user


async def change_profile(
    work: UsersWork, user_id: uuid.UUID, changes: dict[ProfileField, str | None]
) -> User:
    """Apply the changes that change something (`UserProfileChanged` names them); none, no event."""
    current = await read(work, user_id, for_update=True)
    changed = {f: v for f, v in changes.items() if getattr(current, f.value) != v}
    if not changed:
        return current
    await work.users.update_user(user_id, {f.value: v for f, v in changed.items()})
    user = await read(work, user_id)
    work.emit(
        UserProfileChanged(
            user_id=user_id, connect_id=user.connect_id, display_name=user.display_name,
            phone_e164=user.phone_e164, email=user.email, changed_fields=tuple(changed),
        )
    )  # fmt: skip
    return user


async def deactivate(work: UsersWork, user_id: uuid.UUID, reason: DeactivationReason) -> None:
    """Close the account: out of its company, its number and email erased, its sessions
    revoked, refused by every process from the commit on."""
    user = await read(work, user_id, for_update=True)
    # The membership as the DELETE finds it, not `user.company_id`: that join is of the
    # snapshot taken before waiting for the user's lock, which misses a join committed
    # meanwhile and still shows a membership an admin just ended (a second CompanyMemberLeft).
    if (left := await work.companies.leave_company(user_id)) is not None:
        work.emit(CompanyMemberLeft(company_id=left, user_id=user_id))
    await work.users.deactivate(user_id)
    await work.closures.erase_contact_details(user)
    await work.sessions.revoke_all(user_id, "account_closed")
    await work.closures.record_closed(user_id, reason.value)
    work.emit(UserDeactivated(user_id=user_id, reason=reason))
