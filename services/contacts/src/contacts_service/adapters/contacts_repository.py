"""Personal contacts (own state of the contacts service). The sizes of the lists follow by
themselves: triggers count every change of the rows (migration 0005, `list_sizes`)."""

from __future__ import annotations

from uuid import UUID

import asyncpg

# The contact's name, ConnectID and company copied from the projection in the insert itself
# (one round trip): a user the projection does not know yet is added without them, and the
# projection fills them in when it learns of the user.
_INSERT = """
INSERT INTO contacts (owner_id, contact_user_id, display_name, sort_name, connect_id,
                      contact_company_id, source, import_id, invitation_id)
SELECT $1, $2, u.display_name, coalesce(u.sort_name, ''), u.connect_id,
       (SELECT company_id FROM company_members WHERE user_id = $2 LIMIT 1), $3, $4, $5
FROM (VALUES (1)) AS one LEFT JOIN directory_users u ON u.user_id = $2
ON CONFLICT DO NOTHING RETURNING true
"""


async def insert(
    conn: asyncpg.Connection,
    owner_id: UUID,
    contact_user_id: UUID,
    source: str,
    import_id: UUID | None = None,
    invitation_id: UUID | None = None,
) -> bool:
    """Add a personal contact; False when the owner already has this contact (nothing changes)."""
    added = await conn.fetchval(
        _INSERT, owner_id, contact_user_id, source, import_id, invitation_id
    )
    return bool(added)


async def state(conn: asyncpg.Connection, owner_id: UUID, contact_user_id: UUID) -> str | None:
    """'active', 'archived', or None when not a personal contact."""
    archived_at = await conn.fetchrow(
        "SELECT archived_at FROM contacts WHERE owner_id = $1 AND contact_user_id = $2 FOR UPDATE",
        owner_id,
        contact_user_id,
    )
    if archived_at is None:
        return None
    return "active" if archived_at["archived_at"] is None else "archived"


async def set_archived(
    conn: asyncpg.Connection, owner_id: UUID, contact_user_id: UUID, archived: bool
) -> None:
    await conn.execute(
        "UPDATE contacts SET archived_at = CASE WHEN $3 THEN now() END"
        " WHERE owner_id = $1 AND contact_user_id = $2",
        owner_id,
        contact_user_id,
        archived,
    )


async def remove_everywhere(conn: asyncpg.Connection, contact_user_id: UUID) -> list[UUID]:
    """Remove a (deactivated) user from every list it is in; return the owners affected."""
    rows = await conn.fetch(
        "DELETE FROM contacts WHERE contact_user_id = $1 RETURNING owner_id", contact_user_id
    )
    return [row["owner_id"] for row in rows]
