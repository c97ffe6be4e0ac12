"""Erasing a closed account's phone number and email from the directory's tables, in the
closing transaction (docs/data-retention.md, "Personal data when an account closes").

The user row stays (its id is what every other service and the audit trail refer to) with the
number replaced by the redaction marker and no email; codes and rate-limit buckets kept for
the number or email go, and so do the sent outbox rows of the user's own events and the stored
responses that showed them.
"""

from __future__ import annotations

import asyncpg
from contacts_messaging.erasure import (
    ERASED,
    forget_events,
    forget_responses,
    personal_values,
)

from directory_service.domain.model import User


async def erase_contact_details(conn: asyncpg.Connection, user: User) -> None:
    """Leave no copy of `user`'s number or email in the directory's schema."""
    values = personal_values(user.phone_e164, user.email)
    await conn.execute(
        "UPDATE users SET phone_e164 = $2, email = NULL WHERE user_id = $1", user.user_id, ERASED
    )
    await conn.execute(
        "DELETE FROM one_time_codes WHERE user_id = $1 OR destination = ANY($2::text[])",
        user.user_id, values,
    )  # fmt: skip
    # Buckets are keyed '<kind>:<value>' (sign_in.py, verifications.py).
    await conn.execute(
        "DELETE FROM rate_limits WHERE substr(subject, strpos(subject, ':') + 1) = ANY($1::text[])",
        values,
    )
    await forget_events(conn, [str(user.user_id)])
    await forget_responses(conn, values)
