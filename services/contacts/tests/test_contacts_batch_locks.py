"""A batch of profile changes and a batch of additions, at once, never deadlock: each takes its
accounts first (contacts_messaging.accounts.batch_locks, wired in entrypoints/app.py).

The interleaving the fault tests hit, replayed step by step on a real Postgres with the
service's own handlers and subscriptions: the projection's batch holds one account (X2) while
the additions' batch adds a contact in the name bucket ('bob') that the projection's next
event moves another of the owner's contacts into, then wants X2. Taken event by event, each
then waits for the other (a row of `name_counts`, the lock of X2) and Postgres fails one."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import asyncpg
import pytest
from contacts_events import ImportRowMatched, ImportSource, ProfileField, UserProfileChanged
from contacts_events.connect_id import generate
from contacts_events.envelope import CloudEvent
from contacts_messaging.host import Subscription
from contacts_messaging.inbox import Handler, InboxConsumer
from contacts_messaging.outbox import Outbox
from contacts_service.adapters import contacts_repository, projection
from contacts_service.entrypoints.app import (
    ADDITIONS_GROUP,
    DIRECTORY_GROUP,
    OWN_MIGRATIONS,
    subscriptions,
)
from contacts_servicekit.migrations import migrate
from contacts_testing.consumers import wait_until
from contacts_testing.inbox_records import NoDeadLetters, consumed

pytestmark = pytest.mark.integration


@pytest.fixture
async def pool(schema_pool: asyncpg.Pool, service_schema: str) -> asyncpg.Pool:
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, OWN_MIGRATIONS)
    return schema_pool


def _consumer(pool: asyncpg.Pool, sub: Subscription, after: Callable[[CloudEvent], Awaitable[None]]) -> InboxConsumer:  # fmt: skip
    """The subscription's consumer, its handlers followed by `after` (the test's step)."""

    def then(handler: Handler) -> Handler:
        async def handle(event: CloudEvent, conn: asyncpg.Connection) -> None:
            await handler(event, conn)
            await after(event)

        return handle

    handlers = {name: then(handler) for name, handler in sub.handlers.items()}
    return InboxConsumer(pool, sub.group, handlers, NoDeadLetters(), locks=sub.locks)  # type: ignore[arg-type]


def _renamed(user_id: uuid.UUID, name: str) -> UserProfileChanged:
    return UserProfileChanged(
        user_id=user_id, connect_id=generate(), display_name=name, phone_e164="+33612345678",
        changed_fields=(ProfileField.DISPLAY_NAME,),
    )  # fmt: skip


async def _waiting_for_a_lock(pool: asyncpg.Pool) -> bool:
    return bool(
        await pool.fetchval(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
            " WHERE NOT l.granted AND a.datname = current_database()"
            " AND a.query LIKE '%hold_accounts%'"
        )
    )


async def test_profile_changes_and_additions_at_once_both_commit(pool: asyncpg.Pool) -> None:
    owner, x1, x2, z = (uuid.uuid4() for _ in range(4))
    async with pool.acquire() as conn:
        for user, name in ((owner, "Olga"), (x1, "Bob"), (x2, "Xia"), (z, "Zed")):
            await projection.upsert_user(
                conn, user, generate(), name, datetime(2026, 1, 1, tzinfo=UTC)
            )
        await contacts_repository.insert(conn, owner, z, "connect_id")  # bucket 'zed'
    groups = {sub.group: sub for sub in subscriptions(Outbox("/tests"))}
    x2_held, x1_added = asyncio.Event(), asyncio.Event()

    async def projection_step(event: CloudEvent) -> None:
        if getattr(event.data, "user_id", None) == x2:  # its first event: X2 held
            x2_held.set()
            await _until(x1_added, lambda: _waiting_for_a_lock(pool))

    async def addition_step(event: CloudEvent) -> None:
        if getattr(event.data, "matched_user_id", None) == x1:
            x1_added.set()  # a contact in bucket 'bob' written, X2 still to hold

    changes = _consumer(pool, groups[DIRECTORY_GROUP], projection_step)
    additions = _consumer(pool, groups[ADDITIONS_GROUP], addition_step)
    matched = [ImportRowMatched(import_id=uuid.uuid4(), owner_id=owner, source=ImportSource.PASTED,
                                row_number=n, matched_user_id=user)
               for n, user in enumerate((x1, x2), 1)]  # fmt: skip

    renaming = asyncio.create_task(changes.process(consumed([_renamed(x2, "Xavier"), _renamed(z, "Bobby")])))  # fmt: skip
    await asyncio.wait_for(x2_held.wait(), 30)
    adding = asyncio.create_task(additions.process(consumed(matched)))
    await asyncio.wait_for(asyncio.gather(renaming, adding), 60)  # a deadlock fails one

    assert (changes.applied, additions.applied) == (2, 2)
    buckets = await pool.fetch(
        "SELECT bucket, n FROM name_counts WHERE scope_id = $1 AND list = 'active' AND n > 0"
        " ORDER BY bucket",
        owner,
    )
    assert [(b["bucket"], b["n"]) for b in buckets] == [("bob", 2), ("xav", 1)]


async def _until(event: asyncio.Event, condition: Callable[[], Awaitable[bool]]) -> None:
    """Until `event` is set or `condition` holds (the other batch waits for a lock)."""

    async def holds() -> bool:
        return event.is_set() or await condition()

    await wait_until(holds, 30)
