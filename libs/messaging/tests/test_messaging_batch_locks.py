"""A consumer batch's account locks, taken before its first event is applied
(accounts/batch_locks.py): every account of the batch is held when the first handler runs, in
each transaction the inbox applies events in, and many accounts taken exclusively keep others
out until the transaction ends."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import pytest
from contacts_events.base import IntegrationEvent
from contacts_events.envelope import CloudEvent
from contacts_messaging.accounts import store
from contacts_messaging.accounts.batch_locks import held_exclusively, held_open
from contacts_messaging.handlers import EventHandlers
from contacts_messaging.inbox import InboxConsumer
from contacts_testing.events import ProbeEvent, probe_registry
from contacts_testing.inbox_records import NoDeadLetters, consumed

pytestmark = pytest.mark.integration

_HELD = """SELECT count(*) FROM pg_locks, unnest($1::uuid[]) AS a, account_lock_key(a) AS k
WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid() AND mode = $2
  AND objsubid = 2 AND objid::text::bigint = (k[2]::bigint + 4294967296) % 4294967296"""


def _probe_account(data: IntegrationEvent) -> tuple[uuid.UUID, ...]:
    return (data.probe_id,) if isinstance(data, ProbeEvent) else ()


@pytest.mark.parametrize(
    ("locks", "mode"),
    [(held_open(_probe_account), "ShareLock"), (held_exclusively(_probe_account), "ExclusiveLock")],
    ids=["open", "exclusively"],
)
async def test_every_account_of_a_batch_is_held_before_its_first_event_is_applied(
    schema_pool: asyncpg.Pool, locks: Any, mode: str
) -> None:
    accounts = sorted(uuid.uuid4() for _ in range(3))[::-1]  # not in the order they are taken
    held: list[int] = []
    probes = EventHandlers[None]()

    @probes.on(ProbeEvent)
    async def note(probe: ProbeEvent, event: CloudEvent, conn: asyncpg.Connection, _: None) -> None:
        held.append(await conn.fetchval(_HELD, accounts, mode))

    consumer = InboxConsumer(
        schema_pool, "locks", probes.bind(None), NoDeadLetters(),  # type: ignore[arg-type]
        events=probe_registry, locks=locks,
    )  # fmt: skip
    await consumer.process(
        consumed([ProbeEvent(probe_id=a, seq=n) for n, a in enumerate(accounts)])
    )

    assert held == [3, 3, 3]  # the first event's handler already ran with all three held
    assert consumer.applied == 3


async def test_many_accounts_held_exclusively_keep_others_out_until_the_transaction_ends(
    schema_pool: asyncpg.Pool,
) -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    async with schema_pool.acquire() as holder, schema_pool.acquire() as other:
        await other.execute("SET lock_timeout = '200ms'")
        async with holder.transaction():
            await store.hold_all_exclusively(holder, [second, first, second])
            for account in (first, second):
                with pytest.raises(asyncpg.LockNotAvailableError):
                    async with other.transaction():
                        await store.hold_open(other, [account])
        async with other.transaction():
            assert await store.hold_open(other, [first, second]) == set()
