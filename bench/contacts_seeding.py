"""Seed the contacts service's tables for ONE user by COPY, straight into its tables.

This bypasses the events on purpose: the list endpoint reads only the projection
(directory_users, companies, company_members, contact_points) and the personal contacts
(contacts), and replaying ~300,000 directory and contact events through Kafka
one at a time would take far longer than the benchmark itself. The rows are what the
projection handlers (adapters/projection.py) and contacts_repository.insert would have
written: `sort_name` from `contacts_service.domain.names.sort_name`, and `contact_company_id`
on each personal contact that belongs to a company (the owner's, for colleagues). The
counters the lists read follow by themselves: the service's triggers count the COPYed rows.

The whole data set is also kept here in memory, in the order the API must return it, so that
the bench can check the service's answers (first page, totals, deep page, search, archived)
and compute the keyset cursor of a deep page without walking 3,000 pages.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import UUID

import asyncpg
from contacts_events import ContactSource, connect_id
from contacts_names import NameMaker
from contacts_service.domain.names import sort_name
from prewarm import prewarm

PERSONAL = 100_000  # the owner's personal contacts
MEMBERS = 100_000  # members of the owner's company, the owner included
CONTACT_POINTS = 50
OVERLAP = 2_000  # personal contacts who are also colleagues (all active)
ARCHIVED = 5_000  # archived personal contacts (none of them colleagues)
OTHER_COMPANIES = 500  # companies of other personal contacts (for company_name)
OTHER_COMPANY_SHARE = 0.3
IMPORTS = 300
SEED = 20_251_126

Key = tuple[str, UUID]  # (sort_name, contact_id): the lists' order and keyset


@dataclass(frozen=True)
class Shape:
    """How big each part of the owner's lists is (the defaults: this bench's data set; the
    web bench takes 100,000 personal contacts and no colleagues)."""

    personal: int = PERSONAL
    members: int = MEMBERS
    contact_points: int = CONTACT_POINTS
    overlap: int = OVERLAP
    archived: int = ARCHIVED


@dataclass
class Tables:
    directory_users: list[tuple[UUID, str, str, str, bool, datetime]] = field(default_factory=list)
    companies: list[tuple[UUID, str]] = field(default_factory=list)
    company_members: list[tuple[UUID, UUID, str]] = field(default_factory=list)
    contact_points: list[tuple[UUID, UUID, str, str, str]] = field(default_factory=list)
    contacts: list[tuple[object, ...]] = field(default_factory=list)


COLUMNS = {
    "directory_users": ["user_id", "connect_id", "display_name", "sort_name", "active", "version"],
    "companies": ["company_id", "name"],
    "company_members": ["company_id", "user_id", "sort_name"],
    "contact_points": ["contact_point_id", "company_id", "connect_id", "display_name",
                       "sort_name"],
    "contacts": ["owner_id", "contact_user_id", "display_name", "sort_name", "connect_id",
                 "contact_company_id", "source", "import_id", "invitation_id", "added_at",
                 "archived_at"],
}  # fmt: skip


@dataclass
class DataSet:
    """What was seeded, and the two lists as the API must show them (sorted by key)."""

    owner_id: UUID
    company_id: UUID
    tables: Tables
    active: list[Key]
    archived: list[Key]
    personal_active: int
    colleagues: int
    overlap: int

    def prefix_entries(self, prefix: str) -> list[Key]:
        return [key for key in self.active if key[0].startswith(prefix)]

    def common_prefix(self) -> tuple[str, int]:
        """The most common two-letter start of a name in the active list, and how many."""
        counts = Counter(name[:2] for name, _ in self.active if name[:2].isalpha())
        prefix, count = counts.most_common(1)[0]
        return prefix, count


class _Ids:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.connect_ids: set[str] = set()

    def uuid(self) -> UUID:
        return UUID(int=self.rng.getrandbits(128), version=4)

    def connect_id(self) -> str:
        for _ in range(100):  # collisions are rare (31^8 payloads): bounded anyway
            candidate = connect_id.generate()
            if candidate not in self.connect_ids:
                self.connect_ids.add(candidate)
                return candidate
        raise RuntimeError("could not find an unused ConnectID")


def build(seed: int = SEED, shape: Shape = Shape()) -> DataSet:
    """All rows, in memory (a few hundred thousand tuples), repeatable from `seed`."""
    rng = random.Random(seed)
    ids, names = _Ids(rng), NameMaker(seed)
    now = datetime.now(UTC)
    t = Tables()

    def new_user(name: str) -> tuple[UUID, str, str, str]:
        user = (ids.uuid(), ids.connect_id(), name, sort_name(name))
        t.directory_users.append((*user, True, now))
        return user

    owner = new_user("Bench Owner")
    owner_id, company_id = owner[0], ids.uuid()
    colleagues = [new_user(names.person()) for _ in range(shape.members - 1)]
    t.company_members += [(company_id, u[0], u[3]) for u in [owner, *colleagues]]
    points = [
        (ids.uuid(), company_id, ids.connect_id(), n, sort_name(n))
        for n in (names.contact_point(i) for i in range(shape.contact_points))
    ]
    t.contact_points += points
    t.companies.append((company_id, "Globex Bench Corporation"))

    others = [ids.uuid() for _ in range(OTHER_COMPANIES)]
    personal: list[tuple[tuple[UUID, str, str, str], UUID | None]] = [
        (u, company_id) for u in rng.sample(colleagues, shape.overlap)
    ]
    for _ in range(shape.personal - shape.overlap):
        user = new_user(names.person())
        company = rng.choice(others) if rng.random() < OTHER_COMPANY_SHARE else None
        if company is not None:
            t.company_members.append((company, user[0], user[3]))
        personal.append((user, company))
    t.companies += [(c, names.company(n)) for n, c in enumerate(others)]

    archived_ids = {u[0] for u, _ in rng.sample(personal[shape.overlap :], shape.archived)}
    imports = [ids.uuid() for _ in range(IMPORTS)]
    for user, company in personal:
        added = now - timedelta(seconds=rng.randrange(3 * 365 * 86_400))
        source = rng.choices(list(ContactSource), weights=[25, 40, 20, 15])[0]
        import_id = rng.choice(imports) if source.endswith("_import") else None
        invitation_id = ids.uuid() if source is ContactSource.INVITATION else None
        archived_at = None
        if user[0] in archived_ids:
            archived_at = added + timedelta(days=rng.randrange(1, 300))
        t.contacts.append((owner_id, user[0], user[2], user[3], user[1], company, source.value,
                           import_id, invitation_id, added, archived_at))  # fmt: skip

    active_personal = {u[0]: u[3] for u, _ in personal if u[0] not in archived_ids}
    active = [(s, i) for i, s in active_personal.items()]
    active += [(u[3], u[0]) for u in colleagues if u[0] not in active_personal]
    active += [(p[4], p[0]) for p in points]
    archived = [(u[3], u[0]) for u, c in personal if u[0] in archived_ids and c != company_id]
    return DataSet(
        owner_id, company_id, t, sorted(active), sorted(archived),
        personal_active=len(active_personal), colleagues=len(colleagues), overlap=shape.overlap,
    )  # fmt: skip


@dataclass(frozen=True)
class SeedTimes:
    build_seconds: float
    copy_seconds: float
    analyze_seconds: float
    all_visible: str  # per table: pages marked all-visible / pages


async def seed(dsn: str, schema: str, shape: Shape = Shape()) -> tuple[DataSet, SeedTimes]:
    """Build the rows, COPY them, then VACUUM (ANALYZE) and CHECKPOINT so that the load phase
    starts from steady state (statistics and visibility map as autovacuum would leave them)."""
    started = time.perf_counter()
    data = build(shape=shape)
    built = time.perf_counter()
    # A synchronous commit: VACUUM marks a page all-visible only once the hint bits of its
    # rows are set, which waits for the commit record to be flushed; right after an
    # asynchronous commit it would leave the visibility map empty (and every index-only scan
    # would fetch from the heap).
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            for table, columns in COLUMNS.items():
                await conn.copy_records_to_table(
                    table, records=getattr(data.tables, table), columns=columns,
                    schema_name=schema,
                )  # fmt: skip
        copied = time.perf_counter()
        for table in COLUMNS:
            await conn.execute(f"VACUUM (ANALYZE) {schema}.{table}")
        await conn.execute("CHECKPOINT")
        await prewarm(conn, schema)
        analyzed = time.perf_counter()
        visible = await conn.fetch(
            "SELECT relname, relpages, relallvisible FROM pg_class"
            " WHERE relnamespace = $1::regnamespace AND relname = any($2::text[])",
            schema, list(COLUMNS),
        )  # fmt: skip
    finally:
        await conn.close()
    pages = ", ".join(f"{r[0]} {r[2]}/{r[1]}" for r in visible)
    return data, SeedTimes(built - started, copied - built, analyzed - copied, pages)


def row_counts(data: DataSet) -> str:
    return ", ".join(f"{table} {len(getattr(data.tables, table)):,}" for table in COLUMNS)
