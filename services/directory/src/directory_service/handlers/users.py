"""Use cases about users: register, change the profile, deactivate, read."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import asyncpg
from contacts_events import (
    CompanyMemberJoined,
    CompanyMemberLeft,
    CompanyRole,
    DeactivationReason,
    EventContext,
    ProfileField,
    UserDeactivated,
    UserProfileChanged,
    UserRegistered,
)
from contacts_events.base import IntegrationEvent
from contacts_messaging.accounts import store as closed_accounts
from contacts_messaging.outbox import Outbox
from contacts_servicekit.domain_errors import Missing

from directory_service.adapters import companies_repository as companies
from directory_service.adapters import erasure
from directory_service.adapters import sessions_repository as sessions
from directory_service.adapters import users_repository as users
from directory_service.domain.model import User


@dataclass(frozen=True)
class Registration:
    display_name: str
    phone_e164: str
    email: str | None = None
    company_id: uuid.UUID | None = None
    invitation_token: str | None = None


async def register(
    conn: asyncpg.Connection, outbox: Outbox, context: EventContext, new: Registration,
    *, user_id: uuid.UUID | None = None,
) -> User:  # fmt: skip
    """Register a user whose phone number is verified (by a code, or by a platform backend)."""
    user_id = user_id or uuid.uuid4()
    connect_id = await users.allocate_connect_id(conn, "user", user_id)
    await users.insert_user(
        conn, user_id=user_id, connect_id=connect_id, display_name=new.display_name,
        phone_e164=new.phone_e164, email=new.email,
    )  # fmt: skip
    events: list[IntegrationEvent] = [
        UserRegistered(
            user_id=user_id, connect_id=connect_id, display_name=new.display_name,
            phone_e164=new.phone_e164, email=new.email, company_id=new.company_id,
            invitation_token=new.invitation_token,
        )
    ]  # fmt: skip
    if new.company_id is not None:
        await companies.add_member(conn, new.company_id, user_id, CompanyRole.MEMBER)
        events.append(
            CompanyMemberJoined(company_id=new.company_id, user_id=user_id, role=CompanyRole.MEMBER)
        )
    await outbox.add(conn, events, context)
    return await read(conn, user_id)


async def read(conn: asyncpg.Connection, user_id: uuid.UUID, *, for_update: bool = False) -> User:
    user = await users.get_user(conn, user_id, for_update=for_update)
    if user is None or user.status != "active":
        raise Missing("user_not_found", "No active user has this id.")
    return user


async def change_profile(
    conn: asyncpg.Connection,
    outbox: Outbox,
    context: EventContext,
    user_id: uuid.UUID,
    changes: dict[ProfileField, str | None],
) -> User:
    current = await read(conn, user_id, for_update=True)
    changed = {f: v for f, v in changes.items() if getattr(current, f.value) != v}
    if not changed:
        return current
    await users.update_user(conn, user_id, **{f.value: v for f, v in changed.items()})
    user = await read(conn, user_id)
    event = UserProfileChanged(
        user_id=user_id, connect_id=user.connect_id, display_name=user.display_name,
        phone_e164=user.phone_e164, email=user.email, changed_fields=tuple(changed),
    )  # fmt: skip
    await outbox.add(conn, [event], context)
    return user


async def deactivate(
    conn: asyncpg.Connection,
    outbox: Outbox,
    context: EventContext,
    user_id: uuid.UUID,
    reason: DeactivationReason,
) -> None:
    user = await read(conn, user_id, for_update=True)
    events: list[IntegrationEvent] = []
    # The membership as the DELETE finds it, not `user.company_id`: that join is of the
    # snapshot taken before waiting for the user's lock, which misses a join committed
    # meanwhile and still shows a membership an admin just ended (a second CompanyMemberLeft).
    if (left := await companies.leave_company(conn, user_id)) is not None:
        events.append(CompanyMemberLeft(company_id=left, user_id=user_id))
    await users.deactivate(conn, user_id)
    await erasure.erase_contact_details(conn, user)
    await sessions.revoke_all(conn, user_id, "account_closed")
    await closed_accounts.record_closed(conn, user_id, reason.value)  # refused from the commit on
    events.append(UserDeactivated(user_id=user_id, reason=reason))
    await outbox.add(conn, events, context)
