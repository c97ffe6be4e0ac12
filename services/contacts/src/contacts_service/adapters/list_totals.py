"""How many contacts a list, or a search in it, holds: the SQL the list statements embed
(listing.py), sharing their parameters ($1 the owner, $2 and $3 the name range).

Every counter read here is kept by statement-level triggers of one shape (planned once:
migration 0006), in the transaction that changes the rows, whatever writes them: `list_sizes`
(a whole list, migration 0005), `name_counts` (a list's names by their first three letters,
0003) and `company_contact_counts` (the owner's personal contacts who work for a company,
0004). A search by a longer prefix narrows the range enough to count it from the name
indexes. Colleagues who are also personal contacts are listed once, on the personal side, so
they are subtracted from the members.
"""

from __future__ import annotations

from typing import Literal

List = Literal["active", "archived", "members", "points"]
State = Literal["active", "archived"]

MY_COMPANY = "(SELECT company_id FROM company_members WHERE user_id = $1 LIMIT 1)"
BUCKET_LETTERS = 3  # left(sort_name, 3) in migration 0003
_ME = f"FROM (SELECT {MY_COMPANY} AS company_id) me"  # the owner's company, looked up once
_IN_NAME_RANGE = " AND {a}.sort_name >= $2 AND {a}.sort_name < $3"
_ARCHIVED_IS = {"active": "IS NULL", "archived": "IS NOT NULL"}


def list_size(scope: str, name: List) -> str:
    """The size of a whole list: `scope` is the owner for personal lists, the company for
    `members` and `points`."""
    return f"coalesce((SELECT n FROM list_sizes WHERE scope_id = {scope} AND list = '{name}'), 0)"


def counted_colleagues(state: State) -> str:
    """The owner's personal contacts in list `state` who work for their company."""
    return (
        "coalesce((SELECT n FROM company_contact_counts WHERE owner_id = $1"
        f" AND company_id = me.company_id AND list = '{state}'), 0)"
    )


def names_in_buckets(scope: str, name: List) -> str:
    """How many names of a list are in the range, for a prefix of up to BUCKET_LETTERS
    letters: a name is in the prefix's range exactly when its bucket is."""
    return (
        f"(SELECT coalesce(sum(n), 0) FROM name_counts WHERE scope_id = {scope}"
        f" AND list = '{name}' AND bucket >= $2 AND bucket < $3)"
    )


def colleagues_in_range(state: State) -> str:
    """The owner's personal contacts in list `state` and the name range who work for their
    company, counted on `contacts_*_in_company`."""
    return (
        f"(SELECT count(*) FROM contacts c WHERE c.owner_id = $1 AND c.contact_company_id ="
        f" {MY_COMPANY} AND c.archived_at {_ARCHIVED_IS[state]}{_IN_NAME_RANGE.format(a='c')})"
    )


# Whether the owner's own name is in the range (the members' counters count them too): their
# membership found by user id; `OFFSET 0` keeps Postgres from looking for it in the company's
# name index instead, which scans every member in the range (1.7 of the 2 ms of a search "ma").
_ME_IN_RANGE = f"""(SELECT count(*) FROM (
          SELECT company_id, sort_name FROM company_members WHERE user_id = $1 OFFSET 0
       ) m WHERE m.company_id = {MY_COMPANY} {_IN_NAME_RANGE.format(a="m")})"""

WHOLE_ACTIVE = f"""
SELECT {list_size("$1", "active")}
     + {list_size("me.company_id", "members")} - (me.company_id IS NOT NULL)::int
     + {list_size("me.company_id", "points")}
     - {counted_colleagues("active")} AS total {_ME}"""
WHOLE_ARCHIVED = f"""
SELECT {list_size("$1", "archived")} - {counted_colleagues("archived")} AS total {_ME}"""

SHORT_SEARCH_ACTIVE = f"""
SELECT {names_in_buckets("$1", "active")}
     + {names_in_buckets(MY_COMPANY, "members")} - {_ME_IN_RANGE}
     - {colleagues_in_range("active")}
     + {names_in_buckets(MY_COMPANY, "points")} AS total"""
SHORT_SEARCH_ARCHIVED = f"""
SELECT {names_in_buckets("$1", "archived")} - {colleagues_in_range("archived")} AS total"""

LONG_SEARCH_ACTIVE = f"""
SELECT (SELECT count(*) FROM contacts c WHERE c.owner_id = $1 AND c.archived_at IS NULL
          {_IN_NAME_RANGE.format(a="c")})
     + (SELECT count(*) FROM company_members m WHERE m.company_id = {MY_COMPANY}
          AND m.user_id <> $1 {_IN_NAME_RANGE.format(a="m")})
     - {colleagues_in_range("active")}
     + (SELECT count(*) FROM contact_points p WHERE p.company_id = {MY_COMPANY}
          {_IN_NAME_RANGE.format(a="p")}) AS total"""
LONG_SEARCH_ARCHIVED = f"""
SELECT (SELECT count(*) FROM contacts c WHERE c.owner_id = $1 AND c.archived_at IS NOT NULL
          {_IN_NAME_RANGE.format(a="c")})
     - {colleagues_in_range("archived")} AS total"""
