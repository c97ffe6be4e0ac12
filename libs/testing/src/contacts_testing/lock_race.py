"""Two writers of one entity, in a chosen order, for the tests of the rule that a use case
locks its entity before it decides and adds its event (docs/event-order-audit.md).

The first writer's transaction is open and holds its locks; `second_writer` starts the second
on another connection and returns only once Postgres says it waits for the first
(`pg_blocking_pids`, read live, not from a statistics snapshot). The test then commits the
first and awaits the second: what the second decided after the wait is what is checked. No
sleeping and hoping: without the wait the helper fails, saying the second never waited.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

import asyncpg
from contacts_events.envelope import parse_event_type

Work = Callable[[asyncpg.Connection], Awaitable[object]]
_WAITED_FOR = "SELECT $2::int = ANY(pg_blocking_pids($1))"


async def second_writer(
    first: asyncpg.Connection, second: asyncpg.Connection, work: Work, *, polls: int = 500
) -> asyncio.Task[object]:
    """`work` in a transaction of its own on `second`, running (as a task) and waiting for a
    lock `first` holds; AssertionError if it finishes or fails without ever waiting."""
    task = asyncio.create_task(_in_transaction(second, work))
    waiting, holding = second.get_server_pid(), first.get_server_pid()
    for _ in range(polls):
        if task.done():
            break
        if await first.fetchval(_WAITED_FOR, waiting, holding):
            return task
        await asyncio.sleep(0.01)
    outcome = repr(task.exception()) if task.done() else "still running"
    task.cancel()
    raise AssertionError(f"the second writer never waited for the first ({outcome})")


async def _in_transaction(conn: asyncpg.Connection, work: Work) -> object:
    async with conn.transaction():
        return await work(conn)


async def outbox_names(conn: asyncpg.Connection) -> list[str]:
    """The name (`ContactArchived`) of every event in the outbox, in position order."""
    rows = await conn.fetch("SELECT headers FROM outbox ORDER BY position")
    return [parse_event_type(dict(json.loads(row["headers"]))["ce_type"])[0] for row in rows]
