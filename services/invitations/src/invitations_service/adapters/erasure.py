"""Erasing a closed account's phone number and email from the invitations service's tables, in
the transaction that applies its `UserDeactivated` to the directory projection
(docs/data-retention.md, "Personal data when an account closes").

The projection knows the number (the same consumer group applied the user's earlier events, in
order); the emails are those of the invitations the user accepted. The invitations addressed
to them keep their ids, status and dates (the inviters' history and counts) with the number or
address replaced by the redaction marker; the send counters and cool-downs kept for the number
or address, and the sent events of those invitations (keyed by invitation id), are deleted.
An invitation still open to the number is the inviter's to a number nobody holds now: kept.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg
from contacts_messaging.erasure import (
    ERASED,
    forget_events,
    forget_responses,
    personal_values,
)

from invitations_service.domain.invitation import OPEN

_REDACT_INVITATIONS = """
UPDATE invitations AS i SET
    phone_e164 = CASE WHEN i.phone_e164 IS NULL THEN NULL ELSE $3 END,
    email = CASE WHEN i.email IS NULL THEN NULL ELSE $3 END
FROM (SELECT invitation_id, phone_e164, email FROM invitations
      WHERE (invitee_user_id = $1 OR phone_e164 = $2) AND NOT status = ANY($4::text[])
      FOR UPDATE) AS before
WHERE i.invitation_id = before.invitation_id
RETURNING i.invitation_id, before.phone_e164, before.email
"""


async def erase_details_of(conn: asyncpg.Connection, user_id: UUID, closed_at: datetime) -> None:
    """Leave no copy of the closed user's number or email in the invitations schema."""
    phone = await conn.fetchval(
        "SELECT phone_e164 FROM directory_users WHERE user_id = $1 FOR UPDATE", user_id
    )
    await conn.execute(
        "UPDATE directory_users SET phone_e164 = $2, version = greatest(version, $3)"
        " WHERE user_id = $1",
        user_id, ERASED, closed_at,
    )  # fmt: skip
    rows = await conn.fetch(_REDACT_INVITATIONS, user_id, phone, ERASED, list(OPEN))
    values = personal_values(phone, *(row["phone_e164"] or row["email"] for row in rows))
    destinations = [value.lower() for value in values]
    await conn.execute(
        "DELETE FROM send_cooldowns WHERE destination = ANY($1::text[])", destinations
    )
    await conn.execute(
        "DELETE FROM daily_sends WHERE scope = 'destination' AND lower(subject) = ANY($1::text[])",
        destinations,
    )
    await forget_events(conn, [str(row["invitation_id"]) for row in rows])
    await forget_responses(conn, values)
