"""The importer's own copies of other services' state, for statuses computed without calls:
registered users' phone numbers (directory), each owner's contacts (contacts), pending
invitations (invitations). Writes are idempotent; user rows only move forward in time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import asyncpg

from importer_service.adapters.joined_lists import TEXTS, joined


async def upsert_user(
    conn: asyncpg.Connection, user_id: UUID, phone: str, version: datetime
) -> None:
    await conn.execute(
        "INSERT INTO registered_users (user_id, phone_e164, active, version) VALUES ($1, $2, true, $3)"
        " ON CONFLICT (user_id) DO UPDATE SET phone_e164 = excluded.phone_e164, version = excluded.version"
        " WHERE registered_users.version <= excluded.version",
        user_id,
        phone,
        version,
    )


async def deactivate_user(conn: asyncpg.Connection, user_id: UUID, version: datetime) -> None:
    await conn.execute(
        "UPDATE registered_users SET active = false, version = $2 WHERE user_id = $1 AND version <= $2",
        user_id,
        version,
    )


async def add_contact(conn: asyncpg.Connection, owner_id: UUID, contact_user_id: UUID) -> None:
    await conn.execute(
        "INSERT INTO owner_contacts (owner_id, contact_user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        owner_id,
        contact_user_id,
    )


async def remove_contact(conn: asyncpg.Connection, owner_id: UUID, contact_user_id: UUID) -> None:
    await conn.execute(
        "DELETE FROM owner_contacts WHERE owner_id = $1 AND contact_user_id = $2",
        owner_id,
        contact_user_id,
    )


async def invitation_pending(
    conn: asyncpg.Connection,
    invitation_id: UUID,
    inviter_id: UUID,
    phone: str | None,
    request_id: UUID | None,
) -> None:
    """Sent: pending, unless it is known closed already (a message that was in flight when the
    invitee joined or the inviter deleted it is announced after the closing event, which could
    not name the number): then the request that asked for it is done, and the closed
    invitation keeps no number (nothing reads it; a closed account's number must not come
    back this way)."""
    await conn.execute(
        """
        WITH known AS (
            INSERT INTO pending_invitations (invitation_id, inviter_id, phone_e164)
            VALUES ($1, $2, $3)
            ON CONFLICT (invitation_id) DO UPDATE SET phone_e164 =
                CASE WHEN pending_invitations.closed THEN NULL ELSE excluded.phone_e164 END
            RETURNING closed
        )
        DELETE FROM invitation_requests r USING known k WHERE k.closed AND r.request_id = $4
        """,
        invitation_id,
        inviter_id,
        phone,
        request_id,
    )


async def invitation_closed(
    conn: asyncpg.Connection, invitation_id: UUID, inviter_id: UUID, request_id: UUID | None
) -> None:
    """Accepted, cancelled or expired: the number may be invited again, so the import's request
    for it is done, found by `request_id` (also when it closed before its first message went
    out: no `InvitationSent` ever named the number) or by the number its `InvitationSent`
    gave. The invitation stays known as closed, without its number (statuses read only open
    ones, and an accepted invitation's number is a user's, erased when the account closes), so
    that a late `InvitationSent` does not reopen it. Every part of one statement sees the rows
    as they were before it: `before` holds the number the update empties."""
    await conn.execute(
        """
        WITH before AS (
            SELECT phone_e164 FROM pending_invitations WHERE invitation_id = $1
        ), closed AS (
            INSERT INTO pending_invitations (invitation_id, inviter_id, closed) VALUES ($1, $2, true)
            ON CONFLICT (invitation_id) DO UPDATE SET closed = true, phone_e164 = NULL
            RETURNING inviter_id
        )
        DELETE FROM invitation_requests r
        WHERE r.request_id = $3
           OR (r.inviter_id, r.phone_e164) = (SELECT c.inviter_id, b.phone_e164 FROM closed c, before b)
        """,
        invitation_id,
        inviter_id,
        request_id,
    )


async def owner_phone(conn: asyncpg.Connection, owner_id: UUID) -> str | None:
    phone: str | None = await conn.fetchval(
        "SELECT phone_e164 FROM registered_users WHERE user_id = $1 AND active", owner_id
    )
    return phone


async def users_by_phone(conn: asyncpg.Connection, phones: Sequence[str]) -> dict[str, UUID]:
    rows = await conn.fetch(
        "SELECT phone_e164, user_id FROM registered_users WHERE active"
        f" AND phone_e164 = ANY({TEXTS.format('$1')})",
        joined(phones),
    )
    return {r["phone_e164"]: r["user_id"] for r in rows}


async def contacts_among(
    conn: asyncpg.Connection, owner_id: UUID, users: Sequence[UUID], current_import: UUID
) -> set[UUID]:
    """Which of `users` the owner has as contacts: known from contacts' events, or added by one
    of the owner's earlier imports (whose ContactAdded may not have come back yet)."""
    rows = await conn.fetch(
        """
        SELECT contact_user_id AS user_id FROM owner_contacts
        WHERE owner_id = $1 AND contact_user_id = ANY($2::uuid[])
        UNION
        SELECT r.matched_user_id FROM import_row_statuses r JOIN imports i USING (import_id)
        WHERE r.matched_user_id = ANY($2::uuid[]) AND r.status = 'user_added'
          AND i.owner_id = $1 AND r.import_id <> $3
        """,
        owner_id,
        list(users),
        current_import,
    )
    return {r["user_id"] for r in rows}


async def invited_among(
    conn: asyncpg.Connection, owner_id: UUID, phones: Sequence[str]
) -> set[str]:
    """Which of `phones` the owner has a pending invitation (or a request for one) to."""
    rows = await conn.fetch(
        f"""
        SELECT phone_e164 FROM pending_invitations
        WHERE inviter_id = $1 AND phone_e164 = ANY({TEXTS.format("$2")}) AND NOT closed
        UNION
        SELECT phone_e164 FROM invitation_requests
        WHERE inviter_id = $1 AND phone_e164 = ANY({TEXTS.format("$2")})
        """,
        owner_id,
        joined(phones),
    )
    return {r["phone_e164"] for r in rows}
