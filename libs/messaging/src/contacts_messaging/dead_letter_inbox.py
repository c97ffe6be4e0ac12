"""Whether a dead letter's event was in fact applied since: its consumer group's inbox, in the
database of the service the group belongs to (which may be a cluster of its own), holds the
event's id. Replaying such a letter is a no-op; one not applied is what a replay is for.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from contacts_messaging.dead_letter_records import DeadLetter
from contacts_messaging.service_databases import where

_SCHEMA = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")  # as DB_SCHEMA (contacts_servicekit.settings)


def schema_name(text: str) -> str:
    """A schema name safe to quote into SQL (for `--schema`)."""
    if not _SCHEMA.fullmatch(text):
        raise ValueError(f"{text!r} is not a schema name ({_SCHEMA.pattern})")
    return text


@dataclass
class InboxCheck:
    """What the group's inbox says about the dead letters' events."""

    schema: str
    database: str  # host:port/database, no credentials
    applied: set[str] = field(default_factory=set)  # event ids the inbox holds
    asked: set[str] = field(default_factory=set)  # event ids looked up
    error: str | None = None  # the inbox could not be read

    def applied_of(self, letter: DeadLetter) -> bool | None:
        """True/False when the inbox was asked about the letter's event; None otherwise."""
        if letter.event_id is None or letter.event_id not in self.asked or self.error:
            return None
        return letter.event_id in self.applied

    def as_dict(self) -> dict[str, Any]:
        return {"schema": self.schema, "database": self.database, "error": self.error,
                "applied": sorted(self.applied)}  # fmt: skip


async def check_inbox(
    database_url: str, schema: str, group: str, letters: Iterable[DeadLetter]
) -> InboxCheck:
    """Look the letters' event ids up in `schema`'s inbox for consumer `group`."""
    check = InboxCheck(schema_name(schema), where(database_url))
    check.asked = {e for e in (letter.event_id for letter in letters) if e and _is_uuid(e)}
    if not check.asked:
        return check
    try:
        conn = await asyncpg.connect(database_url, timeout=5)
        try:
            rows = await conn.fetch(
                f'SELECT event_id::text AS id FROM "{schema}".inbox'
                " WHERE consumer = $1 AND event_id = ANY($2::uuid[])",
                group,
                sorted(check.asked),
            )
        finally:
            await conn.close()
    except (
        OSError,
        TimeoutError,
        ValueError,
        asyncpg.PostgresError,
        asyncpg.InterfaceError,
    ) as error:
        check.error = f"{type(error).__name__}: {error}"
        return check
    check.applied = {row["id"] for row in rows}
    return check


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
