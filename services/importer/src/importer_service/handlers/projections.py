"""Keeping the importer's projections (consumer group `importer.projections`)."""

from __future__ import annotations

import asyncpg
from contacts_events import (
    ContactAdded,
    ContactRemoved,
    InvitationAccepted,
    InvitationCancelled,
    InvitationExpired,
    InvitationRefused,
    InvitationSent,
    UserDeactivated,
    UserProfileChanged,
    UserRegistered,
)
from contacts_events.envelope import CloudEvent
from contacts_messaging.handlers import EventHandlers

from importer_service.adapters import erasure, projection, refusals

projections = EventHandlers[None]()
"""Group `importer.projections`: the users, contacts and invitations the statuses are read from,
and the refusals an import shows."""


@projections.on(UserRegistered, UserProfileChanged)
async def user(
    data: UserRegistered | UserProfileChanged, event: CloudEvent, conn: asyncpg.Connection, _: None
) -> None:
    await projection.upsert_user(conn, data.user_id, data.phone_e164, event.time)


@projections.on(UserDeactivated)
async def user_gone(
    data: UserDeactivated, event: CloudEvent, conn: asyncpg.Connection, _: None
) -> None:
    await projection.deactivate_user(conn, data.user_id, event.time)
    await erasure.erase_number_of(conn, data.user_id)


@projections.on(ContactAdded)
async def contact_added(
    data: ContactAdded, event: CloudEvent, conn: asyncpg.Connection, _: None
) -> None:
    await projection.add_contact(conn, data.owner_id, data.contact_user_id)


@projections.on(ContactRemoved)
async def contact_removed(
    data: ContactRemoved, event: CloudEvent, conn: asyncpg.Connection, _: None
) -> None:
    await projection.remove_contact(conn, data.owner_id, data.contact_user_id)


@projections.on(InvitationSent)
async def invitation_sent(
    data: InvitationSent, event: CloudEvent, conn: asyncpg.Connection, _: None
) -> None:
    await projection.invitation_pending(
        conn, data.invitation_id, data.inviter_id, data.phone_e164, data.request_id
    )


@projections.on(InvitationAccepted, InvitationCancelled, InvitationExpired)
async def invitation_closed(
    data: InvitationAccepted | InvitationCancelled | InvitationExpired,
    event: CloudEvent,
    conn: asyncpg.Connection,
    _: None,
) -> None:
    await projection.invitation_closed(conn, data.invitation_id, data.inviter_id, data.request_id)


@projections.on(InvitationRefused)
async def invitation_refused(
    data: InvitationRefused, event: CloudEvent, conn: asyncpg.Connection, _: None
) -> None:
    await refusals.record(conn, data, event.time)
