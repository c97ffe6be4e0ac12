"""Acceptance: a new user whose phone, email or invitation token matches pending invitations
accepts them all; expiry closes the ones nobody accepted in time."""

from __future__ import annotations

import asyncpg
from contacts_events import (
    AcceptanceMatch,
    CompanyMemberJoined,
    CompanyMemberLeft,
    EventContext,
    InvitationAccepted,
    InvitationChannel,
    InvitationExpired,
    UserDeactivated,
    UserProfileChanged,
    UserRegistered,
)
from contacts_events.envelope import CloudEvent
from contacts_messaging.inbox import Handler
from contacts_messaging.outbox import Outbox

from invitations_service.adapters import erasure
from invitations_service.adapters import invitations_repository as invitations
from invitations_service.handlers.directory_projection import (
    member_joined,
    member_left,
    remember_user,
)


def directory_handlers(outbox: Outbox) -> dict[str, Handler]:
    """Acceptance on UserRegistered, the directory projection (users, company members), and
    the erasure of a closed account's number and email on UserDeactivated."""

    async def registered(event: CloudEvent, conn: asyncpg.Connection) -> None:
        user = event.data
        assert isinstance(user, UserRegistered)
        await remember_user(conn, event)
        matches = await invitations.open_matching(
            conn, user.phone_e164, user.email, user.invitation_token
        )
        accepted = []
        for found in matches:
            await invitations.close(conn, found["invitation_id"], "accepted", user.user_id)
            accepted.append(
                InvitationAccepted(
                    invitation_id=found["invitation_id"], inviter_id=found["inviter_id"],
                    request_id=found["request_id"], invitee_user_id=user.user_id,
                    channel=InvitationChannel(found["channel"]),
                    matched_by=AcceptanceMatch(found["matched_by"]),
                )
            )  # fmt: skip
        await outbox.add(conn, accepted, EventContext.caused_by(event))

    async def profile(event: CloudEvent, conn: asyncpg.Connection) -> None:
        await remember_user(conn, event)

    async def deactivated(event: CloudEvent, conn: asyncpg.Connection) -> None:
        closed = event.data
        assert isinstance(closed, UserDeactivated)
        await erasure.erase_details_of(conn, closed.user_id, event.time)

    return {
        UserRegistered.name: registered,
        UserProfileChanged.name: profile,
        UserDeactivated.name: deactivated,
        CompanyMemberJoined.name: member_joined,
        CompanyMemberLeft.name: member_left,
    }


async def expire_due(conn: asyncpg.Connection, outbox: Outbox) -> int:
    """Close the invitations past their expiry; return how many."""
    rows = await conn.fetch(
        "UPDATE invitations SET status = 'expired', closed_at = now()"
        " WHERE status = ANY($1::text[]) AND expires_at <= now()"
        " RETURNING invitation_id, inviter_id, request_id",
        list(invitations.OPEN),
    )
    events = [
        InvitationExpired(
            invitation_id=r["invitation_id"], inviter_id=r["inviter_id"], request_id=r["request_id"]
        )
        for r in rows
    ]
    await outbox.add(conn, events, EventContext())
    return len(events)
