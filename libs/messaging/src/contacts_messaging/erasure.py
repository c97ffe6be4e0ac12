"""Erasing a closed account's phone number and email from the tables every service has (the
messaging migrations): sent outbox rows and stored idempotent responses.

Each service calls these from the transaction that handles the closure, with what it knows of
the person (see docs/data-retention.md). Rows are deleted, not rewritten: a sent outbox row is
kept only for diagnosis until the relay purges it (an unsent one, once sent), and a stored
response only answers a retry, which after the closure is refused anyway.
"""

from __future__ import annotations

from collections.abc import Iterable

import asyncpg

ERASED = "erased"
"""What replaces an erased phone number or email in a column that must keep a value (a row kept
for its counts or its audit ids): not a number, not an address, so nothing matches it."""


def personal_values(*values: str | None) -> list[str]:
    """The non-empty values among a person's number and email (what the erasers search for)."""
    return [value for value in values if value and value != ERASED]


async def forget_events(conn: asyncpg.Connection, keys: Iterable[str]) -> int:
    """Forget the outbox rows whose record key is one of `keys` (the aggregates whose events
    carried the person's number: their user id, an import, an invitation). Rows already sent
    are deleted; a row not sent yet still owes its event to Kafka, so it is flagged and the
    relay deletes it as soon as Kafka acknowledged it (relay.py), not a retention later.
    Returns how many were deleted now.

    Flagged first, then deleted: the flag's row locks keep the relay from marking a row sent
    between the two statements (a mark waiting on them skips the flagged row, which is then
    published again and deleted: consumers deduplicate)."""
    encoded = [key.encode() for key in keys]
    if not encoded:
        return 0
    await conn.execute(
        "UPDATE outbox SET forget_when_sent = true WHERE key = ANY($1::bytea[])", encoded
    )
    result = await conn.execute(
        "DELETE FROM outbox WHERE sent_at IS NOT NULL AND key = ANY($1::bytea[])", encoded
    )
    return int(result.split()[-1])


async def forget_responses(conn: asyncpg.Connection, values: Iterable[str]) -> int:
    """Delete the stored idempotent responses that show one of `values` (a number or an email).

    A scan of the table, which its retention keeps to a day or so of requests: closures are
    rare, and no index could find a value anywhere in a response body."""
    needles = list(values)
    if not needles:
        return 0
    result = await conn.execute(
        "DELETE FROM idempotency_keys"
        " WHERE EXISTS (SELECT FROM unnest($1::text[]) AS v"
        "               WHERE strpos(coalesce(response::text, ''), v) > 0)",
        needles,
    )
    return int(result.split()[-1])
