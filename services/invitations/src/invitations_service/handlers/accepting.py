"""Acceptance: a new user whose phone, email or invitation token matches pending invitations
accepts them all (consumer group `invitations.directory`, which also keeps the directory
projection and erases a closed account's number and email)."""

from __future__ import annotations

import asyncpg
from contacts_events import (
    AcceptanceMatch,
    CompanyMemberJoined,
    CompanyMemberLeft,
    EventContext,
    InvitationAccepted,
    InvitationChannel,
    UserDeactivated,
    UserProfileChanged,
    UserRegistered,
)
from contacts_events.envelope import CloudEvent
from contacts_messaging.handlers import EventHandlers
from contacts_messaging.outbox import Outbox

from invitations_service.adapters import erasure
from invitations_service.adapters.unit_of_work import PostgresInvitationsWork
from invitations_service.handlers.directory_projection import (
    member_joined,
    member_left,
    remember_user,
)
from invitations_service.handlers.ports import InvitationsWork


async def accept_matching(work: InvitationsWork, user: UserRegistered) -> None:
    """Accept every open invitation to the new user's phone, email or invitation token
    (InvitationAccepted, once per invitation: they are locked, and closed ones not matched)."""
    matches = await work.invitations.open_matching(
        user.phone_e164, user.email, user.invitation_token
    )
    for found, matched_by in matches:
        await work.invitations.close(found.invitation_id, "accepted", user.user_id)
        work.emit(
            InvitationAccepted(
                invitation_id=found.invitation_id, inviter_id=found.inviter_id,
                request_id=found.request_id, invitee_user_id=user.user_id,
                channel=InvitationChannel(found.channel), matched_by=AcceptanceMatch(matched_by),
            )
        )  # fmt: skip


directory = EventHandlers[Outbox]()
"""Group `invitations.directory`: acceptance on UserRegistered, the directory projection (users,
company members), and the erasure of a closed account's number and email on UserDeactivated;
the acceptances are announced through the outbox bound here."""


@directory.on(UserRegistered)
async def registered(
    user: UserRegistered, event: CloudEvent, conn: asyncpg.Connection, outbox: Outbox
) -> None:
    await remember_user(conn, user, event.time)
    work = PostgresInvitationsWork(conn)
    await accept_matching(work, user)
    await work.write_events(outbox, EventContext.caused_by(event))


@directory.on(UserProfileChanged)
async def profile_changed(
    user: UserProfileChanged, event: CloudEvent, conn: asyncpg.Connection, _: Outbox
) -> None:
    await remember_user(conn, user, event.time)


@directory.on(UserDeactivated)
async def deactivated(
    closed: UserDeactivated, event: CloudEvent, conn: asyncpg.Connection, _: Outbox
) -> None:
    await erasure.erase_details_of(conn, closed.user_id, event.time)


@directory.on(CompanyMemberJoined)
async def joined(
    joined: CompanyMemberJoined, event: CloudEvent, conn: asyncpg.Connection, _: Outbox
) -> None:
    await member_joined(conn, joined, event.time)


@directory.on(CompanyMemberLeft)
async def left(
    left: CompanyMemberLeft, event: CloudEvent, conn: asyncpg.Connection, _: Outbox
) -> None:
    await member_left(conn, left)
