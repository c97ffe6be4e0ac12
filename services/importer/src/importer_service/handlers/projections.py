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
from contacts_messaging.inbox import Handler

from importer_service.adapters import erasure, projection, refusals


async def _user(event: CloudEvent, conn: asyncpg.Connection) -> None:
    data = event.data
    assert isinstance(data, UserRegistered | UserProfileChanged)
    await projection.upsert_user(conn, data.user_id, data.phone_e164, event.time)


async def _user_gone(event: CloudEvent, conn: asyncpg.Connection) -> None:
    assert isinstance(event.data, UserDeactivated)
    await projection.deactivate_user(conn, event.data.user_id, event.time)
    await erasure.erase_number_of(conn, event.data.user_id)


async def _contact_added(event: CloudEvent, conn: asyncpg.Connection) -> None:
    assert isinstance(event.data, ContactAdded)
    await projection.add_contact(conn, event.data.owner_id, event.data.contact_user_id)


async def _contact_removed(event: CloudEvent, conn: asyncpg.Connection) -> None:
    assert isinstance(event.data, ContactRemoved)
    await projection.remove_contact(conn, event.data.owner_id, event.data.contact_user_id)


async def _invitation_sent(event: CloudEvent, conn: asyncpg.Connection) -> None:
    data = event.data
    assert isinstance(data, InvitationSent)
    await projection.invitation_pending(
        conn, data.invitation_id, data.inviter_id, data.phone_e164, data.request_id
    )


async def _invitation_closed(event: CloudEvent, conn: asyncpg.Connection) -> None:
    data = event.data
    assert isinstance(data, InvitationAccepted | InvitationCancelled | InvitationExpired)
    await projection.invitation_closed(conn, data.invitation_id, data.inviter_id, data.request_id)


async def _invitation_refused(event: CloudEvent, conn: asyncpg.Connection) -> None:
    assert isinstance(event.data, InvitationRefused)
    await refusals.record(conn, event.data, event.time)


PROJECTION_HANDLERS: dict[str, Handler] = {
    UserRegistered.name: _user,
    UserProfileChanged.name: _user,
    UserDeactivated.name: _user_gone,
    ContactAdded.name: _contact_added,
    ContactRemoved.name: _contact_removed,
    InvitationSent.name: _invitation_sent,
    InvitationAccepted.name: _invitation_closed,
    InvitationCancelled.name: _invitation_closed,
    InvitationExpired.name: _invitation_closed,
    InvitationRefused.name: _invitation_refused,
}
