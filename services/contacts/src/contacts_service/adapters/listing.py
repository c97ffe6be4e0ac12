"""Active and archived lists: the owner's personal contacts merged with the company's members
and contact points, in name order, a page at a time (keyset pagination).

Each branch is an index range scan (owner or company, sort name, id) that stops after one
page; the merge sorts at most three pages. Totals come from counters kept by triggers
(list_totals.py). The page and its total are one statement, so one round trip. Colleagues are never
stored per owner: a company of N members is N rows, whoever looks at it.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

import asyncpg

from contacts_service.adapters import list_totals as totals
from contacts_service.domain.model import Contact, Cursor, ListName
from contacts_service.domain.names import prefix_range

_NIL = UUID(int=0)
_COLUMNS = ("total", *Contact._fields)  # of every list statement, in order
_WHOLE_LIST = prefix_range("")
_MY_COMPANY = totals.MY_COMPANY
_IN_RANGE = "{a}.sort_name >= $2 AND {a}.sort_name < $3 AND ({a}.sort_name, {a}.{id}) > ($4, $5)"
_NOT_ACTIVE_PERSONAL = (
    "NOT EXISTS (SELECT 1 FROM contacts c WHERE c.owner_id = $1"
    " AND c.contact_user_id = m.user_id AND c.archived_at IS NULL)"
)

# A personal contact `c` (owner $1) as a Contact: its columns and where they come from.
PERSONAL_CONTACT = f"""
SELECT c.contact_user_id AS contact_id, 'user' AS kind, c.connect_id, c.display_name,
       co.name AS company_name,
       CASE WHEN c.contact_company_id = {_MY_COMPANY} THEN 'colleague' END AS managed_by,
       c.source, c.added_at, c.archived_at IS NOT NULL AS archived, c.sort_name
FROM {{contacts}} c LEFT JOIN companies co ON co.company_id = c.contact_company_id"""

# Each branch ends in an open WHERE clause, completed by the query that uses it.
_PERSONAL = PERSONAL_CONTACT.format(contacts="contacts") + "\nWHERE c.owner_id = $1"
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


def _with_total(page_sql: str, total_sql: str) -> str:
    """One statement, so one round trip: the total on every row, and on a row of NULLs when
    the page is empty. `MATERIALIZED` computes the total once: inlined, its correlated count
    would run again for every row of the page (51 times: 7.7 instead of 0.6 ms a page)."""
    return f"""
WITH total AS MATERIALIZED ({total_sql}), page AS ({page_sql})
SELECT total.total, page.* FROM total LEFT JOIN page ON true
ORDER BY page.sort_name, page.contact_id"""


class Search(StrEnum):
    """How a list is narrowed by name, which decides how its total is counted."""

    NONE = "none"  # the whole list: per-list counters
    SHORT = "short"  # a prefix of up to BUCKET_LETTERS letters: name_counts
    LONG = "long"  # a longer prefix: counted from the name indexes

    @classmethod
    def of(cls, name_range: tuple[str, str] | None) -> Search:
        if name_range is None:
            return cls.NONE
        return cls.SHORT if len(name_range[0]) <= totals.BUCKET_LETTERS else cls.LONG


STATEMENTS = {
    (ListName.ACTIVE, Search.NONE): _with_total(_ACTIVE, totals.WHOLE_ACTIVE),
    (ListName.ARCHIVED, Search.NONE): _with_total(_ARCHIVED, totals.WHOLE_ARCHIVED),
    (ListName.ACTIVE, Search.SHORT): _with_total(_ACTIVE, totals.SHORT_SEARCH_ACTIVE),
    (ListName.ARCHIVED, Search.SHORT): _with_total(_ARCHIVED, totals.SHORT_SEARCH_ARCHIVED),
    (ListName.ACTIVE, Search.LONG): _with_total(_ACTIVE, totals.LONG_SEARCH_ACTIVE),
    (ListName.ARCHIVED, Search.LONG): _with_total(_ARCHIVED, totals.LONG_SEARCH_ARCHIVED),
}
"""The list statements by (list, how it is searched by name)."""


def arguments(
    owner_id: UUID, name_range: tuple[str, str], after: Cursor | None, limit: int
) -> tuple[object, ...]:
    """The statements' parameters: the keyset starts at the name prefix itself (so the index
    scan begins there, not at the top of the list) or at the cursor when it is further on."""
    start = Cursor(name_range[0], _NIL)
    ahead = after and (after.sort_name, after.contact_id) > (start.sort_name, start.contact_id)
    last = after if after and ahead else start
    return owner_id, *name_range, last.sort_name, last.contact_id, limit


async def page_and_total(
    conn: asyncpg.Connection,
    owner_id: UUID,
    which: ListName,
    name_range: tuple[str, str] | None,
    after: Cursor | None,
    limit: int,
) -> tuple[list[Contact], int]:
    """Up to `limit` contacts of the list after `after` (within the name prefix's range, when
    searching), and how many the list (or search) holds in all."""
    sql = STATEMENTS[which, Search.of(name_range)]
    rows = await conn.fetch(sql, *arguments(owner_id, name_range or _WHOLE_LIST, after, limit))
    total = int(rows[0]["total"])
    if rows[0]["contact_id"] is None:  # the row of NULLs of an empty page
        return [], total
    assert tuple(rows[0].keys()) == _COLUMNS, rows[0].keys()
    return [Contact._make(row[1:]) for row in rows], total


async def one(conn: asyncpg.Connection, owner_id: UUID, contact_id: UUID) -> Contact | None:
    """The owner's contact `contact_id`: the personal row first (it says how it was added)."""
    row = await conn.fetchrow(_ONE, owner_id, contact_id)
    if row is None:
        return None
    fields = dict(row)
    del fields["rank"]
    return Contact(**fields)
