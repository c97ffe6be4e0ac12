"""Active and archived lists: the owner's personal contacts merged with the company's members
and contact points, in name order, a page at a time (keyset pagination).

Each branch is an index range scan (owner or company, sort name, id) that stops after one
page; the merge sorts at most three pages. Totals come from maintained counters, or from
range counts when a name prefix narrows the list. Colleagues are never stored per owner: a
company of N members is N rows, whoever looks at it.
"""

from __future__ import annotations

from uuid import UUID

import asyncpg

from contacts_service.domain.model import Contact, Cursor, ListName

_NIL = UUID(int=0)
_MY_COMPANY = "(SELECT company_id FROM company_members WHERE user_id = $1 LIMIT 1)"
_IN_RANGE = "{a}.sort_name >= $2 AND {a}.sort_name < $3 AND ({a}.sort_name, {a}.{id}) > ($4, $5)"
_NOT_ACTIVE_PERSONAL = (
    "NOT EXISTS (SELECT 1 FROM contacts c WHERE c.owner_id = $1"
    " AND c.contact_user_id = m.user_id AND c.archived_at IS NULL)"
)

# Each branch ends in an open WHERE clause, completed by the query that uses it.
_PERSONAL = f"""
SELECT c.contact_user_id AS contact_id, 'user' AS kind, c.connect_id, c.display_name,
       co.name AS company_name,
       CASE WHEN c.contact_company_id = {_MY_COMPANY} THEN 'colleague' END AS managed_by,
       c.source, c.added_at, c.archived_at IS NOT NULL AS archived, c.sort_name
FROM contacts c LEFT JOIN companies co ON co.company_id = c.contact_company_id
WHERE c.owner_id = $1"""
_COLLEAGUES = f"""
SELECT m.user_id, 'user', u.connect_id, u.display_name, co.name, 'colleague',
       NULL::text, NULL::timestamptz,
       false, m.sort_name
FROM company_members m
LEFT JOIN directory_users u ON u.user_id = m.user_id
LEFT JOIN companies co ON co.company_id = m.company_id
WHERE m.company_id = {_MY_COMPANY} AND m.user_id <> $1"""
_CONTACT_POINTS = f"""
SELECT p.contact_point_id, 'contact_point', p.connect_id, p.display_name, co.name,
       'company_contact_point', NULL::text, NULL::timestamptz, false, p.sort_name
FROM contact_points p LEFT JOIN companies co ON co.company_id = p.company_id
WHERE p.company_id = {_MY_COMPANY}"""

_ACTIVE = f"""
SELECT * FROM (
  ({_PERSONAL} AND c.archived_at IS NULL AND {_IN_RANGE.format(a="c", id="contact_user_id")}
   ORDER BY c.sort_name, c.contact_user_id LIMIT $6)
  UNION ALL
  ({_COLLEAGUES} AND {_IN_RANGE.format(a="m", id="user_id")} AND {_NOT_ACTIVE_PERSONAL}
   ORDER BY m.sort_name, m.user_id LIMIT $6)
  UNION ALL
  ({_CONTACT_POINTS} AND {_IN_RANGE.format(a="p", id="contact_point_id")}
   ORDER BY p.sort_name, p.contact_point_id LIMIT $6)
) page ORDER BY sort_name, contact_id LIMIT $6
"""

_ARCHIVED = f"""
{_PERSONAL} AND c.archived_at IS NOT NULL AND {_IN_RANGE.format(a="c", id="contact_user_id")}
  AND NOT coalesce(c.contact_company_id = {_MY_COMPANY}, false)
ORDER BY c.sort_name, c.contact_user_id LIMIT $6
"""

_ONE = f"""
SELECT * FROM (
  (SELECT 1 AS rank, * FROM ({_PERSONAL} AND c.contact_user_id = $2) personal)
  UNION ALL
  (SELECT 2, * FROM ({_COLLEAGUES} AND m.user_id = $2) colleague)
  UNION ALL
  (SELECT 3, * FROM ({_CONTACT_POINTS} AND p.contact_point_id = $2) point)
) found ORDER BY rank LIMIT 1
"""

_TOTALS = f"""
SELECT coalesce(oc.active, 0) AS active, coalesce(oc.archived, 0) AS archived,
       coalesce(co.member_count, 0) - (co.company_id IS NOT NULL)::int AS colleagues,
       coalesce(co.contact_point_count, 0) AS contact_points,
       (SELECT count(*) FROM contacts c WHERE c.owner_id = $1
          AND c.contact_company_id = co.company_id AND c.archived_at IS NULL) AS active_colleagues,
       (SELECT count(*) FROM contacts c WHERE c.owner_id = $1
          AND c.contact_company_id = co.company_id AND c.archived_at IS NOT NULL)
          AS archived_colleagues
FROM (SELECT $1::uuid AS owner_id) me
LEFT JOIN owner_counts oc ON oc.owner_id = me.owner_id
LEFT JOIN companies co ON co.company_id = {_MY_COMPANY}
"""

_RANGE_COUNTS = f"""
SELECT
  (SELECT count(*) FROM contacts c WHERE c.owner_id = $1 AND c.archived_at IS NULL
     AND c.sort_name >= $2 AND c.sort_name < $3) AS active,
  (SELECT count(*) FROM contacts c WHERE c.owner_id = $1 AND c.archived_at IS NOT NULL
     AND c.sort_name >= $2 AND c.sort_name < $3
     AND NOT coalesce(c.contact_company_id = {_MY_COMPANY}, false)) AS archived,
  (SELECT count(*) FROM company_members m WHERE m.company_id = {_MY_COMPANY} AND m.user_id <> $1
     AND m.sort_name >= $2 AND m.sort_name < $3 AND {_NOT_ACTIVE_PERSONAL}) AS colleagues,
  (SELECT count(*) FROM contact_points p WHERE p.company_id = {_MY_COMPANY}
     AND p.sort_name >= $2 AND p.sort_name < $3) AS contact_points
"""


async def page(
    conn: asyncpg.Connection,
    owner_id: UUID,
    which: ListName,
    name_range: tuple[str, str],
    after: Cursor | None,
    limit: int,
) -> list[Contact]:
    query = _ACTIVE if which is ListName.ACTIVE else _ARCHIVED
    # start the keyset at the prefix itself, so the index scan begins there, not at the top
    start = (name_range[0], _NIL)
    last = after if after and (after.sort_name, after.contact_id) > start else Cursor(*start)
    rows = await conn.fetch(query, owner_id, *name_range, last.sort_name, last.contact_id, limit)
    return [Contact(**dict(row)) for row in rows]


async def one(conn: asyncpg.Connection, owner_id: UUID, contact_id: UUID) -> Contact | None:
    """The owner's contact `contact_id`: the personal row first (it says how it was added)."""
    row = await conn.fetchrow(_ONE, owner_id, contact_id)
    if row is None:
        return None
    fields = dict(row)
    del fields["rank"]
    return Contact(**fields)


async def total(
    conn: asyncpg.Connection, owner_id: UUID, which: ListName, name_range: tuple[str, str] | None
) -> int:
    if name_range is None:
        t = await conn.fetchrow(_TOTALS, owner_id)
        if which is ListName.ARCHIVED:
            return int(t["archived"] - t["archived_colleagues"])
        return int(t["active"] + t["colleagues"] + t["contact_points"] - t["active_colleagues"])
    t = await conn.fetchrow(_RANGE_COUNTS, owner_id, *name_range)
    if which is ListName.ARCHIVED:
        return int(t["archived"])
    return int(t["active"] + t["colleagues"] + t["contact_points"])
