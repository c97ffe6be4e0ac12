"""Benchmark: the web app's contacts page (`/contacts`) for one user with 100,000 contacts,
with N people using it at once, against the contacts API's own `GET /v1/contacts` under the
same load as the baseline.

    uv run python bench/web_contacts_page.py [--browsers 20] [--duration 30] [--pages 5]

Starts the contacts bench's own Postgres and Kafka (ports 25732 / 29592, state in
/var/tmp/contacts-platform-bench-contacts, contacts_stack.py), the real contacts service and
the web app as processes on 127.0.0.1, seeds the owner's 100,000 personal contacts by COPY
(contacts_seeding.py: bypassing the events on purpose, as bench/CONTACTS.md explains), and
signs N browsers in as the owner (sessions in the web app's store, web_stack.py). Then, in
the machine-wide bench lock:

1. a warm-up of `--warmup` s (not measured);
2. the web app: N simulated browsers (httpx, each with its session cookie), each opening
   /contacts, walking pages 2..`--pages` by the "Next page" link as htmx asks for them, and
   searching by the most common two-letter start of a name (as the search box does), again
   and again for `--duration` s (web_browsers.py);
3. the baseline: the same walk by N clients straight at `GET /v1/contacts` (bearer token).

It prints, for each, the latency seen by the clients (p50/p95/p99/max, by kind and in all,
measured client side on this machine), the server time of every request from the process's
own `http.request` log lines (`duration_ms`), and requests per second. The web app's server
time includes its call to the contacts API (also shown, from that service's log). Exit
status 1 when a request failed or a page was not what a person would see.

Both services run with their defaults (one HTTP worker each) unless `--env NAME=VALUE` (the
web app) says otherwise. Everything started is stopped at the end, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from dataclasses import dataclass
from uuid import UUID

import httpx
from contacts_lists import code_version, cpu_model, owner_token, service_env
from contacts_load import load_average
from contacts_seeding import Shape, row_counts, seed
from contacts_stack import SCHEMA, Stack, running_stack
from contacts_testing.service_process import ServiceProcess
from kit import log, machine_lock, terminate_as_interrupt
from measure import Row, print_table, summarise
from web_browsers import (
    ApiWalk,
    Timings,
    Walk,
    WebWalk,
    WrongAnswer,
    api_clients,
    log_offset,
    run_people,
    server_times,
    web_clients,
)
from web_stack import SESSION_COOKIE, open_sessions, running_web

CONTACTS = 100_000
SHAPE = Shape(personal=CONTACTS, members=1, contact_points=0, overlap=0, archived=0)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--browsers", type=int, default=20, help="simulated people at once")
    add("--duration", type=float, default=30, help="seconds of each measured phase")
    add("--pages", type=int, default=5, help="pages each walk reads before searching")
    add("--warmup", type=float, default=5, help="seconds of the web walk first, not measured")
    add("--env", action="append", default=[], metavar="NAME=VALUE",
        help="extra web app setting, e.g. HTTP_WORKERS=2 (repeatable)")  # fmt: skip
    args = parser.parse_args(argv)
    if min(args.browsers, args.duration, args.pages) <= 0 or args.warmup < 0:
        parser.error("need --browsers, --duration, --pages > 0 and --warmup >= 0")
    return args


@dataclass(frozen=True)
class Prepared:
    owner: UUID
    token: str
    cookies: list[str]
    prefix: str
    expected_search: int


def prepare(stack: Stack, browsers: int) -> Prepared:
    log("seeding by COPY")
    data, times = asyncio.run(seed(stack.dsn, SCHEMA, SHAPE))
    print(f"seeded: {row_counts(data)} in {times.build_seconds + times.copy_seconds:.1f} s "
          f"(+ VACUUM/CHECKPOINT/prewarm {times.analyze_seconds:.1f} s)")  # fmt: skip
    prefix, matching = data.common_prefix()
    token = owner_token(str(data.owner_id))
    cookies = asyncio.run(open_sessions(stack.dsn, data.owner_id, token, browsers))
    print(f"owner {data.owner_id}: {len(data.active):,} active contacts; search q={prefix!r} "
          f"matches {matching:,}; {browsers} signed-in browsers")  # fmt: skip
    return Prepared(data.owner_id, token, cookies, prefix, matching)


async def check(web: ServiceProcess, stack: Stack, prep: Prepared) -> None:
    """Once before the load: the pages show what a person must see."""
    async with httpx.AsyncClient(
        base_url=web.url, cookies={SESSION_COOKIE: prep.cookies[0]}
    ) as http:
        first = await http.get("/contacts")
        shown = first.text.count('class="contact-link"')
        if first.status_code != 200 or f"{CONTACTS:,} contacts" not in first.text or shown != 50:
            raise WrongAnswer(f"/contacts ({first.status_code}) does not show 50 of {CONTACTS:,}")
        searched = await http.get("/contacts", params={"q": prep.prefix}, headers={"HX-Request": "true"})  # fmt: skip
        if f"{prep.expected_search:,} contacts match" not in searched.text:
            raise WrongAnswer(f"search {prep.prefix!r} does not count {prep.expected_search:,}")
    headers = {"Authorization": f"Bearer {prep.token}"}
    async with httpx.AsyncClient(base_url=stack.service.url, headers=headers) as http:
        page = (await http.get("/v1/contacts", params={"limit": 50})).json()
        if page["total"] != CONTACTS or len(page["items"]) != 50:
            raise WrongAnswer(f"/v1/contacts: total {page['total']}")


@dataclass(frozen=True)
class Phase:
    name: str
    timings: Timings
    seconds: float
    server_ms: list[float]  # the process measured: the web app, or the contacts API
    api_ms: list[float]  # the contacts API's own time meanwhile (for the web phase)


async def run_phase(
    name: str, walks: list[Walk], clients: list[httpx.AsyncClient], args: argparse.Namespace,
    web: ServiceProcess | None, stack: Stack,
) -> Phase:  # fmt: skip
    """The walks for `--duration` s; the server times of `web` (the web phase) or else of the
    contacts API, read from their logs."""
    logs = [stack.log_path] + ([web.log_path] if web else [])
    start = [log_offset(path) for path in logs]
    try:
        timings, seconds = await run_people(walks, args.pages, args.duration)
    finally:
        for client in clients:
            await client.aclose()
    end = [log_offset(path) for path in logs]
    api_ms = server_times(stack.log_path, start[0], end[0], "/v1/contacts")
    server_ms = server_times(web.log_path, start[1], end[1], "/contacts") if web else api_ms
    return Phase(name, timings, seconds, server_ms, api_ms)


async def measure(web: ServiceProcess, stack: Stack, prep: Prepared, args: argparse.Namespace) -> list[Phase]:  # fmt: skip
    await check(web, stack, prep)
    if args.warmup:
        log(f"warm-up: {args.browsers} browsers for {args.warmup:g} s")
        clients = web_clients(web.url, prep.cookies)
        await run_people([WebWalk(c, prep.prefix) for c in clients], args.pages, args.warmup)
        for client in clients:
            await client.aclose()
    log(f"web app: {args.browsers} browsers for {args.duration:g} s")
    clients = web_clients(web.url, prep.cookies)
    walks: list[Walk] = [WebWalk(c, prep.prefix) for c in clients]
    phases = [await run_phase("web app /contacts", walks, clients, args, web, stack)]
    log(f"baseline: {args.browsers} clients of GET /v1/contacts for {args.duration:g} s")
    clients = api_clients(stack.service.url, prep.token, args.browsers)
    walks = [ApiWalk(c, prep.prefix) for c in clients]
    phases.append(await run_phase("contacts API /v1/contacts", walks, clients, args, None, stack))
    return phases


def _row(phase: Phase, label: str, latencies: list[float]) -> Row:
    return summarise(label, "closed", latencies, len(latencies), phase.seconds)


def rows(phase: Phase, web_phase: bool) -> list[Row]:
    by_kind = sorted(phase.timings.by_kind.items())
    table = [_row(phase, f"{kind} (client side)", ms) for kind, ms in by_kind]
    table.append(_row(phase, "all (client side)", phase.timings.all()))
    server = "web app server time (its log)" if web_phase else "API server time (its log)"
    table.append(_row(phase, server, phase.server_ms))
    if web_phase:
        table.append(_row(phase, "  of which contacts API (its log)", phase.api_ms))
    return table


def report(phases: list[Phase], args: argparse.Namespace) -> int:
    print(f"\nmachine: {cpu_model()}, load average now {load_average()}; code {code_version()};"
          f" {args.browsers} at once, closed loop, walk: first page, pages 2..{args.pages}, a"
          f" search; {args.duration:g} s each")  # fmt: skip
    for index, phase in enumerate(phases):
        print_table(phase.name, rows(phase, web_phase=index == 0))
    web, api = phases
    web_server = _row(web, "web", web.server_ms)
    api_server = _row(api, "api", api.server_ms)
    print(f"\nweb app: server p95 {web_server.p95_ms:.1f} ms at {web_server.achieved:.0f} "
          f"pages/s; contacts API alone: server p95 {api_server.p95_ms:.1f} ms at "
          f"{api_server.achieved:.0f} req/s (same load)")  # fmt: skip
    failures: Counter[str] = Counter()
    for phase in phases:
        failures.update(phase.timings.failures)
    for what, count in failures.most_common(10):
        print(f"FAILED x{count}: {what}")
    return 1 if failures else 0


def run(args: argparse.Namespace) -> int:
    with (
        terminate_as_interrupt(),
        machine_lock("web contacts page bench"),
        running_stack({}) as stack,
        running_web(stack, service_env(args.env)) as web,
    ):
        prep = prepare(stack, args.browsers)
        phases = asyncio.run(measure(web, stack, prep, args))
        return report(phases, args)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    try:
        return run(args)
    except WrongAnswer as wrong:
        print(f"FAILED before the load: {wrong}")
        return 1
    finally:
        log(f"finished in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
