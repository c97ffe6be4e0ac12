"""No noisy neighbours in the importer (issue 18, target 4). Not a test.

    uv run python bench/importer_neighbours.py [--rows 1048576] [--pair-rows N]
        [--scenarios neighbours,pair,lone] [--modes windowed,as-before]

(a) `neighbours`: a paste of three numbers (each of a new owner) measured from POST to its
`completed_at`: first one after the other on the idle importer (the baseline), then one a
second while one owner's --rows CSV import runs (upload to completed); p50/p99/max of each,
and the large import's own times and correctness checks (bench/importer_bulk.py's).
(b) `pair`: two owners' --pair-rows CSV imports, read first and then started at the same
moment: each one's progress over time and its finish time.
(c) `lone`: the --rows import alone, in each mode back to back under one hold of the bench
lock (both importers started first): the whole-import throughput the window must not lower.

Each scenario runs in each mode, in the same run: `windowed` (the importer's defaults: the
express lane and IMPORT_CHUNKS_IN_FLIGHT) and `as-before` (IMPORT_EXPRESS_ROWS=0 and every
chunk queued at once, which is how the importer worked before), so the large import's
throughput and the paste times of both come from the same machine at the same load. One
importer instance; the bench's own Postgres (:26032) and Kafka (:29892) in
/var/tmp/contacts-platform-bench-neighbours (importer_stack.py), each measurement under the
machine-wide bench lock. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import sys
import time
import uuid
from pathlib import Path

import asyncpg
from importer_files import ContactList, Population, contact_list
from importer_flow import ImportRun, run_import, seed
from importer_neighbours_probe import (
    Latencies,
    Progress,
    idle_pastes,
    pastes_until,
    started_together,
)
from importer_stack import Infra, Scenario, running_infra, running_scenario
from kit import BenchHome, log, machine_lock, terminate_as_interrupt

# Ports and state of this bench's own (importer_bulk.py and the other importer benches use
# importer_stack's: running beside one of them must not share, restart or stop its Postgres).
HOME = BenchHome(Path("/var/tmp/contacts-platform-bench-neighbours"), 26032, 29892)  # noqa: S108
SCENARIOS = ("neighbours", "pair", "lone")
MODES = {
    "windowed": {},
    "as-before": {"IMPORT_EXPRESS_ROWS": "0", "IMPORT_CHUNKS_IN_FLIGHT": "1048576"},
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_048_576, help="rows of (a)'s large import")
    parser.add_argument("--pair-rows", type=int, help="rows of each of (b)'s imports (--rows)")
    parser.add_argument("--idle-pastes", type=int, default=20, help="pastes of the baseline")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help=", ".join(SCENARIOS))
    parser.add_argument("--modes", default="windowed,as-before", help=", ".join(MODES))
    parser.add_argument("--chunk-rows", type=int, default=20_000, help="IMPORT_CHUNK_ROWS")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per scenario")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated list")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra importer setting, every mode (repeatable)")  # fmt: skip
    args = parser.parse_args(argv)
    args.extra_env = dict(item.split("=", 1) for item in args.env)
    args.pair_rows = args.pair_rows or args.rows
    args.scenario_list = [s for s in args.scenarios.split(",") if s]
    args.mode_list = [m for m in args.modes.split(",") if m]
    if not set(args.scenario_list) <= set(SCENARIOS) or not set(args.mode_list) <= set(MODES):
        parser.error(f"--scenarios: {','.join(SCENARIOS)}; --modes: {','.join(MODES)}")
    return args


async def _completed(
    infra: Infra, scenario: Scenario, owner: uuid.UUID, done: asyncio.Event
) -> None:
    """Set `done` once `owner` has a completed import (the large one: pastes have owners of
    their own)."""
    conn = await asyncpg.connect(infra.dsn, server_settings={"search_path": scenario.schema})
    try:
        query = "SELECT true FROM imports WHERE owner_id = $1 AND status = 'completed'"
        while True:
            if await conn.fetchval(query, owner):
                return
            await asyncio.sleep(0.25)
    finally:
        await conn.close()
        done.set()


async def _beside_large(
    infra: Infra, scenario: Scenario, contacts: ContactList, population: Population,
    deadline: float,
) -> tuple[ImportRun, Latencies]:  # fmt: skip
    done = asyncio.Event()
    watch = asyncio.create_task(_completed(infra, scenario, population.owner_id, done))
    pastes = asyncio.create_task(pastes_until(scenario.url, done))
    try:
        run = await run_import(infra, scenario, contacts, population, deadline)
    finally:
        done.set()
        watch.cancel()
    return run, await pastes


def neighbours(args: argparse.Namespace, infra: Infra, population: Population, mode: str) -> None:
    contacts = contact_list(population, args.rows, "csv")
    env = {"IMPORT_CHUNK_ROWS": str(args.chunk_rows), **args.extra_env, **MODES[mode]}
    with running_scenario(infra, f"nb_{mode.replace('-', '_')}", 1, env) as scenario:
        asyncio.run(seed(infra, scenario, population))
        with machine_lock(f"neighbours {mode}", wait_seconds=None):
            say(f"\n=== (a) neighbours, {mode}: load average {_load()}")
            idle = asyncio.run(idle_pastes(scenario.url, args.idle_pastes))
            say(f"idle importer:        {idle.line()}")
            deadline = time.monotonic() + args.timeout
            run, busy = asyncio.run(_beside_large(infra, scenario, contacts, population, deadline))
            say(f"beside a large import: {busy.line()}")
            _print_large(run, contacts.rows)


def lone(args: argparse.Namespace, infra: Infra, population: Population, modes: list[str]) -> None:
    """The large import alone in each mode, back to back under one hold of the bench lock
    (both importers started first): the throughput the window must not lower."""
    contacts = contact_list(population, args.rows, "csv")
    with contextlib.ExitStack() as stack:
        scenarios = {}
        for mode in modes:
            env = {"IMPORT_CHUNK_ROWS": str(args.chunk_rows), **args.extra_env, **MODES[mode]}
            name = f"lone_{mode.replace('-', '_')}"
            scenarios[mode] = stack.enter_context(running_scenario(infra, name, 1, env))
            asyncio.run(seed(infra, scenarios[mode], population))
        with machine_lock("a lone large import", wait_seconds=None):
            for mode, scenario in scenarios.items():
                say(f"\n=== (c) a lone {contacts.rows:,}-row import, {mode}: load average "
                    f"{_load()}")  # fmt: skip
                deadline = time.monotonic() + args.timeout
                run = asyncio.run(run_import(infra, scenario, contacts, population, deadline))
                _print_large(run, contacts.rows)


def _print_large(run: ImportRun, rows: int) -> None:
    statuses = run.statuses_s or float("nan")
    say(f"the large import ({rows:,} rows): extracted in {run.extract_s:.1f} s; start to "
        f"completed {statuses:.1f} s ({rows / statuses:,.0f} rows/s); start to last event on "
        f"Kafka {run.kafka_s or float('nan'):.1f} s")  # fmt: skip
    for name, ok, detail in run.checks:
        say(f"  [{'ok' if ok else 'FAILED'}] {name}" + ("" if ok else f": {detail}"))


def pair(args: argparse.Namespace, infra: Infra, population: Population, mode: str) -> None:
    contacts = contact_list(population, args.pair_rows, "csv")
    owners = [population.owner_id, uuid.UUID(int=population.owner_id.int ^ 1)]
    env = {"IMPORT_CHUNK_ROWS": str(args.chunk_rows), **args.extra_env, **MODES[mode]}
    with running_scenario(infra, f"pair_{mode.replace('-', '_')}", 1, env) as scenario:
        asyncio.run(seed(infra, scenario, population))
        with machine_lock(f"pair {mode}", wait_seconds=None):
            say(f"\n=== (b) two owners' {contacts.rows:,}-row imports, {mode}: load average "
                  f"{_load()}")  # fmt: skip
            deadline = time.monotonic() + args.timeout
            found = asyncio.run(started_together(scenario.url, contacts, owners, deadline))
            _print_progress(found, contacts.rows)


def _print_progress(found: list[Progress], rows: int) -> None:
    """A line every few samples: seconds, then each import's progress (both passes) and the
    share of its rows with their final status."""
    say("  s     " + "   ".join(f"import {n + 1}: progress  done" for n in range(len(found))))
    count = min(len(p.samples) for p in found)
    for index in sorted({*range(0, count, max(1, count // 20)), count - 1}):
        cells = [f"{p.samples[index][1]:16.0%} {p.samples[index][2] / rows:5.0%}"
                 for p in found]  # fmt: skip
        say(f"  {found[0].samples[index][0]:5.1f} " + "   ".join(cells))
    for n, progress in enumerate(found, 1):
        say(f"import {n}: completed {progress.finished_s:.1f} s after the start; "
              f"counts {progress.job.get('counts')}")  # fmt: skip


def say(text: str) -> None:
    """Print at once: a process forked later must not inherit (and print again) the buffer."""
    print(text, flush=True)


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    population = Population(seed=args.seed)
    say(f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}; IMPORT_CHUNK_ROWS={args.chunk_rows}")  # fmt: skip
    with terminate_as_interrupt(), running_infra(home=HOME) as infra:
        for scenario in args.scenario_list:
            if scenario == "lone":
                lone(args, infra, population, args.mode_list)
                continue
            for mode in args.mode_list:
                (neighbours if scenario == "neighbours" else pair)(args, infra, population, mode)
                sys.stdout.flush()
    return 0


if __name__ == "__main__":
    log("importer_neighbours: see bench/README.md")
    sys.exit(main())
