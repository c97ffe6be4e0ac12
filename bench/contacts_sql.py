"""The listing's own SQL: EXPLAIN ANALYZE of each query once, and its time from one client.

Both use the service's code: the one statement of contacts_service.adapters.listing (the
page and its total together), with the arguments contacts_service.handlers.contacts
.list_contacts passes (a page of `limit + 1` to know whether there is a next page), through a
pool made the way the service makes its own. So the SQL floor is the request's database work
without HTTP, authentication, validation and JSON.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from uuid import UUID

import asyncpg
from contacts_scenarios import PAGE, Scenario
from contacts_service.adapters import listing
from contacts_service.domain.model import Cursor
from contacts_service.domain.names import prefix_range
from contacts_servicekit.db import create_pool
from measure import Row, summarise

_NODE = re.compile(
    r"^\s*(?:->\s+)?(?P<node>[A-Z][^(]*?)\s+\(actual time=[\d.]+\.\.(?P<ms>[\d.]+) "
    r"rows=(?P<rows>\d+) loops=(?P<loops>\d+)\)"
)


@dataclass(frozen=True)
class Statement:
    label: str
    sql: str
    args: tuple[object, ...]


def statements(owner: UUID, scenario: Scenario) -> list[Statement]:
    """The one statement a request runs: the page and its total."""
    name_range = prefix_range(scenario.q) if scenario.q else None
    after = Cursor.decode(scenario.cursor) if scenario.cursor else None
    sql = listing.STATEMENTS[scenario.list_name, listing.Search.of(name_range)]
    args = listing.arguments(owner, name_range or prefix_range(""), after, PAGE + 1)
    return [Statement("page + total", sql, args)]


@dataclass(frozen=True)
class Plan:
    scenario: str
    statement: str
    text: str
    execution_ms: float

    def summary(self) -> str:
        """Buffers read in all, then each scan (index, rows returned x loops), aggregate and
        sort (rows) of the plan, in one line."""
        parts = []
        for line in self.text.splitlines():
            found = _NODE.match(line)
            if not found:
                continue
            node, rows, loops = found["node"], int(found["rows"]), int(found["loops"])
            if "Scan" in node or node.startswith(("Sort", "Aggregate", "Hash")):
                node = re.sub(r" on \S+", "", node).replace("using ", "")
                parts.append(f"{node} {rows:,}" + (f"x{loops:,}" if loops > 1 else ""))
        buffers = re.search(r"Buffers: shared hit=(\d+)", self.text)
        read = f"{int(buffers[1]):,} buffers" if buffers else "? buffers"
        return f"{read}: " + "; ".join(parts)


async def explain(dsn: str, schema: str, owner: UUID, scenarios: list[Scenario]) -> list[Plan]:
    """EXPLAIN (ANALYZE, BUFFERS) of each statement once, after one untimed run (warm cache)."""
    conn = await asyncpg.connect(dsn, server_settings={"search_path": schema})
    plans = []
    try:
        for scenario in scenarios:
            for statement in statements(owner, scenario):
                await conn.fetch(statement.sql, *statement.args)
                rows = await conn.fetch(
                    f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {statement.sql}", *statement.args
                )
                text = "\n".join(r[0] for r in rows)
                took = re.search(r"Execution Time: ([\d.]+) ms", text)
                plans.append(Plan(scenario.name, statement.label, text,
                                  float(took[1]) if took else float("nan")))  # fmt: skip
    finally:
        await conn.close()
    return plans


async def sql_floor(
    dsn: str, schema: str, owner: UUID, scenarios: list[Scenario], seconds: float, most: int
) -> list[Row]:
    """Each scenario's statement from one client, one request after the other, for about
    `seconds` (at most `most` requests), timed around `listing.page_and_total`."""
    pool = await create_pool(dsn, schema, min_size=1, max_size=1, application_name="bench-sql")
    rows = []
    try:
        for scenario in scenarios:
            took_ms = await _loop(pool, owner, scenario, seconds, most)
            rows.append(summarise(f"sql {scenario.name}", "closed", took_ms, len(took_ms),
                                  sum(took_ms) / 1000))  # fmt: skip
    finally:
        await pool.close()
    return rows


async def _loop(
    pool: asyncpg.Pool, owner: UUID, scenario: Scenario, seconds: float, most: int
) -> list[float]:
    name_range = prefix_range(scenario.q) if scenario.q else None
    after = Cursor.decode(scenario.cursor) if scenario.cursor else None
    took_ms: list[float] = []
    deadline = time.perf_counter() + seconds
    for _ in range(most):
        if time.perf_counter() > deadline:
            break
        t0 = time.perf_counter()
        async with pool.acquire() as conn:
            items, _total = await listing.page_and_total(
                conn, owner, scenario.list_name, name_range, after, PAGE + 1
            )
        took_ms.append((time.perf_counter() - t0) * 1000)
        if len(items) != PAGE + 1:
            raise RuntimeError(f"sql {scenario.name}: {len(items)} rows, not {PAGE + 1}")
    return took_ms
