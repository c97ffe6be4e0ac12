"""Benchmark: contact lists (`GET /v1/contacts`) of one user with 100,000 personal contacts in a
company of 100,000 members.

    uv run python bench/contacts_lists.py [--rate 500] [--duration 20]

Starts its own Postgres and Kafka (ports 25732 / 29592, state in
/var/tmp/contacts-platform-bench-contacts), a fresh schema and the real contacts service
process, seeds the lists by COPY (bypassing the events on purpose, see contacts_seeding.py),
checks the answers once, prints EXPLAIN ANALYZE of the listing queries and their time from one
client, then measures with oha at a constant rate, inside the machine-wide bench lock:
/health (the HTTP floor), the first page, a deep page, a name-prefix search and the archived
list. Everything it started is stopped at the end, also on Ctrl-C or an error. Exit status 1
when any answer was not a 200. See bench/CONTACTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from uuid import UUID

from contacts_load import Attack, attack, bench_lock, load_average
from contacts_scenarios import Scenario, WrongAnswer, check, scenarios
from contacts_seeding import row_counts, seed
from contacts_servicekit.auth import mint_token
from contacts_servicekit.settings import AuthSettings
from contacts_sql import Plan, explain, sql_floor
from contacts_stack import SCHEMA, STATE_DIR, Stack, running_stack
from contacts_testing.infra import REPO_ROOT
from kit import log, machine_lock, terminate_as_interrupt
from loadgen import Target
from measure import Row, print_table
from oha import ensure_oha

TARGET_P99_MS = 25.0
TARGET_RATE = 500
TOKEN_TTL_SECONDS = 4 * 3600


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--rate", type=int, default=TARGET_RATE, help="requests/s of each scenario")
    add("--duration", type=float, default=20, help="seconds of each scenario")
    add("--warmup", type=float, default=5, help="seconds of all lists at --rate first")
    add("--q", default=None, help="search prefix (default: the most common 2-letter start)")
    add("--sql-seconds", type=float, default=5, help="seconds of the SQL floor per scenario")
    add("--light-rate", type=int, default=50, help="rate of the light-load pass; 0 for none")
    add("--light-seconds", type=float, default=10, help="seconds of each; 0 for none")
    add("--steps", default="100,200,300,400", help="first-page step-up rates; '' for none")
    add("--step-seconds", type=float, default=10)
    add(
        "--hold",
        type=float,
        default=0,
        help="keep the stack running this many seconds after the report (or until Ctrl-C), "
        "for ad hoc EXPLAIN or profiling; its URL, DSN and a token are printed",
    )
    add(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra service setting, e.g. LOG_LEVEL=WARNING or DB_POOL_MAX=20 (repeatable)",
    )
    args = parser.parse_args(argv)
    if min(args.rate, args.duration, args.sql_seconds) <= 0 or min(args.warmup, args.hold) < 0:
        parser.error("need --rate, --duration, --sql-seconds > 0 and --warmup, --hold >= 0")
    args.step_rates = [int(r) for r in args.steps.split(",") if r.strip()]
    return args


def service_env(extra: list[str]) -> dict[str, str]:
    env = {}
    for item in extra:
        name, _, value = item.partition("=")
        env[name.strip()] = value
    return env


def owner_token(owner: str) -> str:
    settings = AuthSettings()
    secret = settings.development_secret
    if secret is None:
        raise SystemExit("the bench mints development tokens: not with ENVIRONMENT=production")
    return mint_token(
        owner, secret=secret, issuer=settings.jwt_issuer,
        audience=settings.jwt_audience, ttl_seconds=TOKEN_TTL_SECONDS,
    )  # fmt: skip


@dataclass
class Prepared:
    scenarios: list[Scenario]
    token: str
    owner: UUID


def prepare(stack: Stack, args: argparse.Namespace) -> Prepared:
    log("seeding by COPY")
    data, times = asyncio.run(seed(stack.dsn, SCHEMA))
    print(f"seeded: {row_counts(data)}")
    print(f"seeding time: build rows {times.build_seconds:.1f} s, COPY {times.copy_seconds:.1f} s,"
          f" VACUUM (ANALYZE) + CHECKPOINT {times.analyze_seconds:.1f} s")  # fmt: skip
    print(f"visibility map (all-visible pages / pages): {times.all_visible}")
    common, count = data.common_prefix()
    prefix = args.q or common
    print(f"owner {data.owner_id}: {data.personal_active:,} active personal contacts + "
          f"{data.colleagues:,} colleagues + 50 contact points - {data.overlap:,} overlap = "
          f"{len(data.active):,} active; {len(data.archived):,} archived; "
          f"search q={prefix!r} matches {len(data.prefix_entries(prefix)):,} "
          f"(the most common 2-letter start is {common!r}: {count:,})")  # fmt: skip
    token = owner_token(str(data.owner_id))
    chosen = scenarios(data, prefix)
    for scenario in chosen:
        print("check:", check(stack.service.url, token, scenario), flush=True)
    return Prepared(chosen, token, data.owner_id)


def print_plans(plans: list[Plan]) -> None:
    print("\nEXPLAIN (ANALYZE, BUFFERS) of the listing statements, with each scenario's arguments")
    for plan in plans:
        print(f"\n--- {plan.scenario}: {plan.statement} ---\n{plan.text}")
    print("\nplan summary (node rows[xloops]):")
    for plan in plans:
        print(f"  {plan.scenario + ': ' + plan.statement:<48} {plan.execution_ms:>7.2f} ms  "
              f"{plan.summary()}")  # fmt: skip


def _cheapest_first(scenarios: list[Scenario]) -> list[Scenario]:
    """The search last: when it overloads the service, its backlog takes longest to clear."""
    return sorted(scenarios, key=lambda s: s.q is not None)


def run_light(stack: Stack, prep: Prepared, args: argparse.Namespace) -> list[Attack]:
    """/health and each list at a rate the service sustains: each request's own latency."""
    if not args.light_rate or not args.light_seconds:
        return []
    base, pids = stack.service.url, (stack.service_pids(), stack.postmaster_pid())
    rate, seconds, workdir = args.light_rate, args.light_seconds, STATE_DIR / "run"
    attacks = [attack(f"light health @ {rate}/s", [Target(base + "/health")], rate, seconds,
                      workdir, pids)]  # fmt: skip
    for s in _cheapest_first(prep.scenarios):
        target = Target(base + s.path, prep.token)
        attacks.append(attack(f"light {s.name} @ {rate}/s", [target], rate, seconds, workdir, pids))
    return attacks


def run_attacks(stack: Stack, prep: Prepared, args: argparse.Namespace) -> list[Attack]:
    """/health and each list at the main rate, the search last."""
    base, pids = stack.service.url, (stack.service_pids(), stack.postmaster_pid())
    workdir = STATE_DIR / "run"
    attacks = [attack("health (HTTP floor)", [Target(base + "/health")], args.rate,
                      args.duration, workdir, pids)]  # fmt: skip
    for s in _cheapest_first(prep.scenarios):
        target = Target(base + s.path, prep.token)
        attacks.append(attack(s.name, [target], args.rate, args.duration, workdir, pids))
    return attacks


def warm_up(stack: Stack, prep: Prepared, args: argparse.Namespace) -> list[Attack]:
    """All lists mixed at the measured rate, not measured: the steady state starts warm. Each
    pooled connection pays once for each statement: its first execution on a fresh connection
    costs 7-16 ms of Postgres (catalog caches, parse, plan), the next five 1.5-2.5 ms (custom
    plans) until Postgres settles on a generic plan (0.7 ms). With a warm-up at 40/s, which
    touched a few connections only, the first 0.4 s of the first-page attack answered in up
    to 241 ms as the other connections warmed up."""
    workdir = STATE_DIR / "run"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    if not args.warmup:
        return []
    targets = [Target(stack.service.url + s.path, prep.token) for s in prep.scenarios]
    pids = (stack.service_pids(), stack.postmaster_pid())
    return [attack("warm-up (all lists)", targets, args.rate, args.warmup, workdir, pids)]


def run_steps(stack: Stack, prep: Prepared, args: argparse.Namespace) -> list[Attack]:
    """The first page at rising rates; stop after the first rate the service did not keep up
    with (timeouts, or fewer answers per second than offered)."""
    first = Target(stack.service.url + prep.scenarios[0].path, prep.token)
    pids = (stack.service_pids(), stack.postmaster_pid())
    steps = []
    for rate in args.step_rates:
        step = attack(f"step first page @ {rate}/s", [first], rate, args.step_seconds,
                      STATE_DIR / "run", pids)  # fmt: skip
        steps.append(step)
        if step.unexpected or step.row.achieved < 0.95 * rate:
            log(f"stopping the step-up: the service did not keep up with {rate} req/s")
            break
    return steps


def code_version() -> str:
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty"],  # noqa: S607
            capture_output=True, text=True, timeout=10, check=True, cwd=REPO_ROOT,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo").read().splitlines():  # noqa: SIM115
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def report(
    light: list[Attack],
    attacks: list[Attack],
    steps: list[Attack],
    sql: list[Row],
    args: argparse.Namespace,
    env: dict[str, str],
) -> int:
    print(f"\nmachine: {os.cpu_count()} cores ({cpu_model()}), {platform.platform()}")
    print(f"code: {code_version()}; python {platform.python_version()}; "
          f"service env: {env or 'defaults'}; load average now {load_average()}")  # fmt: skip
    if light:
        print_table(
            f"light load: each request alone at {args.light_rate}/s, {args.light_seconds:g} s each",
            [a.row for a in light],
        )
    print_table(
        f"HTTP at the target rate (oha, constant rate, latency from when each request was due,"
        f" one user's JWT), {args.duration:g} s each",
        [a.row for a in attacks],
    )
    if steps:
        print_table(f"step-up, first page, {args.step_seconds:g} s each", [a.row for a in steps])
    print("\nload average (1/5/15 min) before -> after each attack:")
    for a in light + attacks + steps:
        print(f"  {a.row.scenario:<34} {a.load_before} -> {a.load_after}")
    print_table("SQL floor: the request's statements from one client, no HTTP", sql)
    health = next(a.row for a in attacks if a.row.scenario.startswith("health"))
    lists = [a for a in attacks if not a.row.scenario.startswith("health")]
    print(f"\nagainst the /health baseline (p50 {health.p50_ms:.2f} ms, p99 {health.p99_ms:.2f} ms"
          f" at {health.achieved:.0f} req/s) and the target p99 < {TARGET_P99_MS:g} ms "
          f"at {args.rate} req/s:")  # fmt: skip
    for a in lists:
        row = a.row
        met = row.p99_ms < TARGET_P99_MS and row.achieved >= 0.99 * args.rate
        over = sum(p99 >= TARGET_P99_MS for p99 in a.p99_by_second)
        print(f"  {row.scenario:<34} p50 {row.p50_ms / health.p50_ms:5.1f}x  "
              f"p99 {row.p99_ms / health.p99_ms:5.1f}x health; p99 {row.p99_ms:7.2f} ms at "
              f"{row.achieved:.0f} req/s -> {'MET' if met else 'NOT MET'} "
              f"(p99 over {TARGET_P99_MS:g} ms in {over} of {len(a.p99_by_second)} seconds)")  # fmt: skip
    failed = [a for a in light + attacks if a.unexpected]
    for a in steps:
        if a.unexpected:
            print(f"overload in {a.row.scenario} (step-up, not a failure): {dict(a.unexpected)}")
    for a in failed:
        print(f"NON-200 ANSWERS in {a.row.scenario}: {dict(a.unexpected)}; e.g. {a.examples[:3]}")
    if failed:
        print("FAILED: some requests were not answered 200 (see above)")
        return 1
    print(f"all {sum(a.row.requests for a in light + attacks):,} requests answered 200")
    return 0


def hold(stack: Stack, prep: Prepared, seconds: float) -> None:
    token_file = STATE_DIR / "run" / "token.txt"
    token_file.write_text(prep.token)
    log(
        f"holding the stack for {seconds:g} s (Ctrl-C to stop now): service {stack.service.url} "
        f"pids {stack.service_pids()}, dsn {stack.dsn} schema {SCHEMA}, token in {token_file}"
    )
    try:
        time.sleep(seconds)
    except KeyboardInterrupt:
        log("hold interrupted")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    ensure_oha()
    env = service_env(args.env)
    started = time.monotonic()
    try:
        with (
            terminate_as_interrupt(),
            machine_lock("contacts bench"),  # for the whole run: other work waits, not it
            running_stack(env) as stack,
        ):
            prep = prepare(stack, args)
            owner = prep.owner
            with bench_lock("EXPLAIN ANALYZE and SQL floor"):
                plans = asyncio.run(explain(stack.dsn, SCHEMA, owner, prep.scenarios))
                log(f"SQL floor: {args.sql_seconds:g} s per scenario from one client")
                sql = asyncio.run(
                    sql_floor(stack.dsn, SCHEMA, owner, prep.scenarios, args.sql_seconds, 20_000)
                )
            print_plans(plans)
            light = warm_up(stack, prep, args) + run_light(stack, prep, args)
            attacks = run_attacks(stack, prep, args)
            steps = run_steps(stack, prep, args)
            status = report(light, attacks, steps, sql, args, env)
            if args.hold:
                hold(stack, prep, args.hold)
    except WrongAnswer as wrong:
        print(f"FAILED: wrong answer before loading: {wrong}")
        return 1
    log(f"done in {time.monotonic() - started:.0f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
