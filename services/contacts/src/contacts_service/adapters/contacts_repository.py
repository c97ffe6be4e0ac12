"""Personal contacts (own state of the contacts service). The sizes of the lists follow by
themselves: triggers count every change of the rows (migration 0005, `list_sizes`)."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from contacts_service.adapters.listing import PERSONAL_CONTACT
from contacts_service.domain.model import Contact

# The contact's name, ConnectID and company copied from the projection in the insert itself
# (one round trip): a user the projection does not know yet is added without them, and the
# projection fills them in when it learns of the user (projection.py says why an add running
# meanwhile cannot miss it).
_ADD = """
WITH added AS (
    INSERT INTO contacts (owner_id, contact_user_id, display_name, sort_name, connect_id,
                          contact_company_id, source, import_id, invitation_id)
    SELECT $1, $2, u.display_name, coalesce(u.sort_name, ''), u.connect_id,
           (SELECT company_id FROM company_members WHERE user_id = $2 LIMIT 1), $3, $4, $5
    FROM (VALUES (1)) AS one LEFT JOIN directory_users u ON u.user_id = $2
    ON CONFLICT DO NOTHING RETURNING *
)
"""
_INSERT = _ADD + "SELECT true FROM added"
_INSERT_AS_CONTACT = _ADD + PERSONAL_CONTACT.format(contacts="added")
_LOCK = (
    PERSONAL_CONTACT.format(contacts="contacts")
    + """
WHERE c.owner_id = $1 AND c.contact_user_id = $2 FOR UPDATE OF c"""
)


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


async def insert_as_contact(
    conn: asyncpg.Connection, owner_id: UUID, contact_user_id: UUID, source: str
) -> Contact | None:
    """`insert`, answering with the contact as the detail view shows it (the same round trip);
    None when the owner already has this contact."""
    row = await conn.fetchrow(_INSERT_AS_CONTACT, owner_id, contact_user_id, source, None, None)
    return Contact(**dict(row)) if row is not None else None


async def lock(conn: asyncpg.Connection, owner_id: UUID, contact_user_id: UUID) -> Contact | None:
    """The personal contact, locked (FOR UPDATE) until the transaction ends; None when the
    owner has no personal contact of this user."""
    row = await conn.fetchrow(_LOCK, owner_id, contact_user_id)
    return Contact(**dict(row)) if row is not None else None


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
