"""Seed the directory schema with N users by COPY, straight into its tables.

This bypasses the service's API and its outbox on purpose: the look-up path reads only
connect_ids, users, memberships, contact_points, companies and rate_limits, and registering
a million users one request (and one event) at a time would take longer than the benchmark.
Rows are built in chunks by worker processes while the main process copies the previous
ones; memory stays bounded (a few chunks in flight; only the set of ConnectIDs seen so far,
for de-duplication, grows with N: about 100 MB for a million).
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import random
import signal
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from uuid import uuid4

import asyncpg
from contacts_events import connect_id
from contacts_servicekit.cpus import available_cpus
from prewarm import prewarm

CHUNK = 50_000
COMPANIES = 1_000
MEMBER_SHARE = 0.2  # a fifth of users belong to a company: the look-up joins their company
ADMIN_EVERY = 50
WORKERS = min(4, available_cpus())
# Rows are consistent by construction, so foreign-key triggers are skipped while copying
# (session_replication_role needs a superuser: the admin URL), and commits do not wait for WAL.
COPY_SETTINGS = {"session_replication_role": "replica", "synchronous_commit": "off"}
MAX_TOP_UPS = 10  # extra chunks allowed to replace duplicate ConnectIDs (almost never needed)


@dataclass
class Chunk:
    """Rows of some users; uuids are text (cheap to pass between processes, COPY takes it)."""

    connect_ids: list[tuple[str, str, str]] = field(default_factory=list)
    users: list[tuple[str, str, str, str, str | None]] = field(default_factory=list)
    memberships: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Seeded:
    users: int
    companies: int
    memberships: int
    copy_seconds: float
    analyze_seconds: float
    unknown_ids: list[str]  # valid ConnectIDs that no one has (for 404 look-ups)


def fresh_connect_ids(count: int, seen: set[str]) -> list[str]:
    """`count` valid ConnectIDs not in `seen` (which they are added to)."""
    fresh: list[str] = []
    for _ in range(2 * count + 100):  # collisions are rare (31^8 payloads): bounded anyway
        if len(fresh) == count:
            return fresh
        candidate = connect_id.generate()
        if candidate not in seen:
            seen.add(candidate)
            fresh.append(candidate)
    raise RuntimeError(f"could not find {count} unused ConnectIDs")


def build_chunk(first: int, count: int, companies: list[str]) -> Chunk:
    """Rows for users number `first` .. `first + count - 1` (phone and email derive from the
    number, so they are unique). Runs in a worker process: ConnectIDs are de-duplicated later."""
    rng = random.Random(first)
    chunk = Chunk()
    for number in range(first, first + count):
        cid = connect_id.generate()
        user_id = str(uuid4())
        email = f"user{number}@bench.example" if number % 2 else None
        chunk.connect_ids.append((cid, "user", user_id))
        chunk.users.append((user_id, cid, f"Bench User {number}", f"+4479{number:08d}", email))
        if rng.random() < MEMBER_SHARE:
            role = "admin" if number % ADMIN_EVERY == 0 else "member"
            chunk.memberships.append((user_id, rng.choice(companies), role))
    return chunk


def drop_duplicates(chunk: Chunk, seen: set[str]) -> int:
    """Remove the users whose ConnectID is in `seen` (add the others); return how many."""
    dropped: set[str] = set()
    for cid, _kind, user_id in chunk.connect_ids:
        if cid in seen:
            dropped.add(user_id)
        seen.add(cid)
    if dropped:
        chunk.connect_ids = [row for row in chunk.connect_ids if row[2] not in dropped]
        chunk.users = [row for row in chunk.users if row[0] not in dropped]
        chunk.memberships = [row for row in chunk.memberships if row[0] not in dropped]
    return len(dropped)


async def copy_chunk(conn: asyncpg.Connection, schema: str, chunk: Chunk) -> None:
    async with conn.transaction():
        for table, columns, rows in (
            ("connect_ids", ["connect_id", "kind", "owner_id"], chunk.connect_ids),
            ("users", ["user_id", "connect_id", "display_name", "phone_e164", "email"],
             chunk.users),
            ("memberships", ["user_id", "company_id", "role"], chunk.memberships),
        ):  # fmt: skip
            await conn.copy_records_to_table(
                table, records=rows, columns=columns, schema_name=schema
            )


async def insert_companies(conn: asyncpg.Connection, schema: str) -> list[str]:
    ids = [str(uuid4()) for _ in range(COMPANIES)]
    rows = [(company, f"Bench Company {n}") for n, company in enumerate(ids)]
    await conn.copy_records_to_table(
        "companies", records=rows, columns=["company_id", "name"], schema_name=schema
    )
    return ids


def _ignore_interrupts() -> None:
    """In the workers: Ctrl-C is the main process's to handle (it shuts the pool down)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


async def copy_users(conn: asyncpg.Connection, schema: str, users: int, seen: set[str]) -> int:
    """Copy `users` users; return the number of memberships. Worker processes build chunks
    (at most WORKERS + 1 in flight) while the main process copies the ones already built."""
    companies = await insert_companies(conn, schema)
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(WORKERS, mp_context=context, initializer=_ignore_interrupts)
    try:
        return await _copy_users(conn, schema, users, seen, pool, companies)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


async def _copy_users(
    conn: asyncpg.Connection,
    schema: str,
    users: int,
    seen: set[str],
    pool: ProcessPoolExecutor,
    companies: list[str],
) -> int:
    loop = asyncio.get_running_loop()
    copied = in_flight = numbered = memberships = 0
    pending: deque[tuple[int, asyncio.Future[Chunk]]] = deque()
    for _ in range(math.ceil(users / CHUNK) + MAX_TOP_UPS + 1):
        while len(pending) <= WORKERS and copied + in_flight < users:
            count = min(CHUNK, users - copied - in_flight)
            future = loop.run_in_executor(pool, build_chunk, numbered, count, companies)
            pending.append((count, future))
            numbered, in_flight = numbered + count, in_flight + count
        if not pending:
            return memberships
        count, future = pending.popleft()
        chunk = await future
        in_flight -= count
        copied += count - drop_duplicates(chunk, seen)  # a duplicate gets a top-up chunk
        await copy_chunk(conn, schema, chunk)
        memberships += len(chunk.memberships)
    raise RuntimeError(f"copied {copied:,} users of {users:,}")


async def seed(dsn: str, schema: str, users: int, unknown: int) -> Seeded:
    """Seed `users` users; VACUUM ANALYZE, CHECKPOINT and prewarm (prewarm.py) so the load
    phase starts steady."""
    conn = await asyncpg.connect(dsn, server_settings=COPY_SETTINGS)
    try:
        seen: set[str] = set()
        started = time.perf_counter()
        memberships = await copy_users(conn, schema, users, seen)
        copied = time.perf_counter()
        for table in ("connect_ids", "users", "memberships", "companies"):
            await conn.execute(f"VACUUM (ANALYZE) {schema}.{table}")
        await conn.execute("CHECKPOINT")
        await prewarm(conn, schema)
        analyzed = time.perf_counter()
        unknown_ids = fresh_connect_ids(unknown, seen)
    finally:
        await conn.close()
    return Seeded(users, COMPANIES, memberships, copied - started, analyzed - copied, unknown_ids)


async def sample(
    dsn: str, schema: str, connect_ids: int, requesters: int
) -> tuple[list[str], list[str]]:
    """Random existing ConnectIDs to look up, and random user ids to look them up as."""
    conn = await asyncpg.connect(dsn)
    try:
        ids = await conn.fetch(
            f"SELECT connect_id FROM {schema}.connect_ids ORDER BY random() LIMIT $1", connect_ids
        )
        users = await conn.fetch(
            f"SELECT user_id::text FROM {schema}.users ORDER BY random() LIMIT $1", requesters
        )
    finally:
        await conn.close()
    return [r[0] for r in ids], [r[0] for r in users]
