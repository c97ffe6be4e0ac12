"""Benchmark: ConnectID look-ups (`GET /v1/connect-ids/{id}`) against N registered users.

    uv run python bench/directory_lookup.py [--users 1000000] [--rate 1000] [--duration 30]

Starts its own Postgres and Kafka (ports 25632 / 29492, state in
/var/tmp/contacts-platform-bench), a fresh schema and the real directory service process,
seeds N users by COPY, then measures with pacer at a constant rate: /health (the HTTP floor),
look-ups, the SQL floor (the look-up's statements from one client) and a short step-up of
rates. Everything it started is stopped at the end, also on Ctrl-C or an error. Exit status
1 when any request got an answer it should not have (a 429 means the rate limit was hit,
which would make the latency figures meaningless). See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass

import asyncpg
from contacts_servicekit.auth import mint_token
from contacts_servicekit.settings import AuthSettings
from contacts_testing.infra import REPO_ROOT
from directory_service.domain.rate_limits import Limit
from directory_stack import SCHEMA, STATE_DIR, Stack, running_stack
from kit import log, machine_lock, terminate_as_interrupt
from measure import Row, print_table
from pacer import ensure_pacer
from scenarios import Outcome, Runner
from seeding import sample, seed
from sqlfloor import sql_floor

TARGET_P99_MS = 10.0
TARGET_RATE = 1000
BROKEN_P99_MS = 1000.0  # the step-up stops after the first step this bad
TOKEN_TTL_SECONDS = 4 * 3600
KNOWN_SAMPLE = 200_000  # distinct existing ConnectIDs the look-ups draw from
UNKNOWN_IDS = 5_000
LOOKUP_ACTION = "connect_id_lookup"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--users", type=int, default=1_000_000, help="registered users to seed")
    add("--rate", type=int, default=TARGET_RATE, help="requests/s of the main scenarios")
    add("--duration", type=float, default=30, help="seconds of each main scenario")
    add("--warmup", type=float, default=5, help="seconds of look-ups before measuring")
    add("--requesters", type=int, default=20_000, help="distinct callers (JWTs)")
    add("--unknown-share", type=float, default=0.05, help="share of look-ups that 404")
    add("--steps", default="250,500,1000,1500", help="step-up rates; '' for none")
    add("--step-seconds", type=float, default=10)
    add("--instances", type=int, default=1, help="directory-service processes (round-robin)")
    add("--sql-iterations", type=int, default=5_000, help="look-ups of the SQL floor")
    add(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="service setting, e.g. HTTP_WORKERS=1 or DB_POOL_MAX=20 (repeatable; otherwise "
        "the service's defaults)",
    )
    args = parser.parse_args(argv)
    if min(args.users // 1000, args.rate, args.requesters, args.instances) < 1:
        parser.error("need --users >= 1000 and --rate, --requesters, --instances >= 1")
    if args.duration <= 0 or args.warmup < 0 or args.step_seconds <= 0:
        parser.error("need --duration > 0, --warmup >= 0, --step-seconds > 0")
    args.step_rates = [int(r) for r in args.steps.split(",") if r.strip()]
    args.requesters = min(args.requesters, args.users)
    return args


@dataclass(frozen=True)
class Plan:
    """How many look-ups each requester makes at most, and a limit that never refuses them."""

    lookups_per_requester: int
    limit: Limit

    @classmethod
    def of(cls, args: argparse.Namespace) -> Plan:
        attacks = [args.rate * args.warmup, args.rate * args.duration]
        attacks += [rate * args.step_seconds for rate in args.step_rates]
        most = sum(math.ceil(int(n) / args.requesters) for n in attacks)
        # refills are ignored: the burst alone covers the whole run, twice over
        return cls(most, Limit(LOOKUP_ACTION, burst=max(30, 2 * most + 10), per_minute=60))

    def service_env(self, extra: list[str]) -> dict[str, str]:
        env = {  # the service's own defaults otherwise (two processes, warm pools)
            "LOOKUP_BURST": str(self.limit.burst),
            "LOOKUP_PER_MINUTE": str(self.limit.per_minute),
        }
        for item in extra:
            name, _, value = item.partition("=")
            env[name.strip()] = value
        return env


def code_version() -> str:
    """The commit the service code is at, `-dirty` when the working tree differs from it."""
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty"],  # noqa: S607
            capture_output=True, text=True, timeout=10, check=True, cwd=REPO_ROOT,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def mint_tokens(user_ids: list[str]) -> list[str]:
    settings = AuthSettings()
    secret = settings.development_secret
    if secret is None:
        raise SystemExit("the bench mints development tokens: not with ENVIRONMENT=production")
    return [
        mint_token(user, secret=secret, issuer=settings.jwt_issuer,
                   audience=settings.jwt_audience, ttl_seconds=TOKEN_TTL_SECONDS)
        for user in user_ids
    ]  # fmt: skip


async def bucket_report(dsn: str) -> str:
    conn = await asyncpg.connect(dsn)
    try:
        row = await conn.fetchrow(
            f"SELECT count(*) AS buckets, min(tokens) AS lowest FROM {SCHEMA}.rate_limits"
            " WHERE action = $1 AND subject NOT LIKE 'bench-sql-%'",
            LOOKUP_ACTION,
        )
        version = await conn.fetchval("SHOW server_version")
    finally:
        await conn.close()
    assert row is not None
    lowest = "-" if row["lowest"] is None else f"{row['lowest']:.1f}"
    return f"{row['buckets']} buckets, lowest balance {lowest} (postgres {version})"


def prepare(stack: Stack, args: argparse.Namespace) -> Runner:
    log(f"seeding {args.users:,} users")
    seeded = asyncio.run(seed(stack.dsn, SCHEMA, args.users, UNKNOWN_IDS))
    print(
        f"seeded {seeded.users:,} users, {seeded.companies:,} companies, "
        f"{seeded.memberships:,} memberships: COPY {seeded.copy_seconds:.1f} s, "
        f"VACUUM ANALYZE + CHECKPOINT {seeded.analyze_seconds:.1f} s",
        flush=True,
    )
    known, requesters = asyncio.run(
        sample(stack.dsn, SCHEMA, min(KNOWN_SAMPLE, args.users), args.requesters)
    )
    log(f"minting {len(requesters):,} tokens")
    workdir = STATE_DIR / "run"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    return Runner(
        stack, workdir, mint_tokens(requesters), known, seeded.unknown_ids, args.unknown_share
    )


@dataclass
class Report:
    warmup: Outcome | None
    health: Outcome
    lookup: Outcome
    sql: list[Row]
    steps: list[Outcome]
    buckets: str

    @property
    def main(self) -> list[Outcome]:
        return [o for o in (self.warmup, self.health, self.lookup) if o is not None]


def run_steps(runner: Runner, args: argparse.Namespace) -> list[Outcome]:
    """Step the rate up; stop after the first step the service could not keep up with."""
    outcomes = []
    for rate in args.step_rates:
        outcome = runner.lookups(f"step lookup @ {rate}/s", rate, args.step_seconds)
        outcomes.append(outcome)
        row = outcome.rows[0]
        if outcome.timeouts or row.achieved < 0.9 * rate or row.p99_ms > BROKEN_P99_MS:
            log(f"stopping the step-up: the service did not keep up with {rate} req/s")
            break
    return outcomes


def measure(stack: Stack, runner: Runner, args: argparse.Namespace, plan: Plan) -> Report:
    health = runner.health("health (HTTP floor)", args.rate, args.duration)
    warmup = None
    if args.warmup > 0:  # at the rate, right before: the look-ups start warm
        warmup = runner.lookups("warm-up lookup", args.rate, args.warmup)
    lookup = runner.lookups("lookup", args.rate, args.duration, split=True)
    log(f"SQL floor: {args.sql_iterations} look-ups from one client")
    sql = asyncio.run(
        sql_floor(stack.dsn, SCHEMA, runner.known, args.sql_iterations, 60, plan.limit)
    )
    steps = run_steps(runner, args)
    return Report(warmup, health, lookup, sql, steps, asyncio.run(bucket_report(stack.dsn)))


def print_report(report: Report, args: argparse.Namespace, plan: Plan, env: dict[str, str]) -> int:
    """Print the tables and verdicts; return the exit status."""
    load = os.getloadavg()[0]
    print(f"\nmachine: {os.cpu_count()} cores, {platform.platform()}, load average now {load:.2f}")
    print(f"code: {code_version()}; python {platform.python_version()}")
    settings = " ".join(f"{k}={v}" for k, v in sorted(env.items()))
    print(f"service: {args.instances} process(es); env: {settings}")
    print(f"rate limit: {plan.lookups_per_requester} look-ups at most per requester planned; "
          f"buckets after the run: {report.buckets}")  # fmt: skip
    main_rows = [row for outcome in report.main for row in outcome.rows]
    title = (
        f"main scenarios ({args.users:,} users, {args.requesters:,} requesters, "
        f"{args.unknown_share:.0%} unknown ConnectIDs)"
    )
    print_table(title, main_rows + report.sql)
    if report.steps:
        print_table("step-up (look-ups)", [o.rows[0] for o in report.steps])
    health, lookup = report.health.rows[0], report.lookup.rows[0]
    print(f"\nlookup p99 / health p99 = {lookup.p99_ms:.2f} / {health.p99_ms:.2f} ms"
          f" = {lookup.p99_ms / health.p99_ms:.1f}x")  # fmt: skip
    met = lookup.p99_ms < TARGET_P99_MS and lookup.achieved >= 0.99 * args.rate
    print(f"target p99 < {TARGET_P99_MS:g} ms at {args.rate} req/s: lookup p99 "
          f"{lookup.p99_ms:.2f} ms at {lookup.achieved:.0f} req/s -> "
          f"{'MET' if met else 'NOT MET'}")  # fmt: skip
    return report_unexpected(report)


def report_unexpected(report: Report) -> int:
    failed = False
    for outcome in report.main + report.steps:
        name = outcome.rows[0].scenario
        step_overload = outcome in report.steps and set(outcome.unexpected) == {
            code for code in outcome.unexpected if code.startswith("0 ")
        }
        if outcome.unexpected:
            kind = "overload (timeouts)" if step_overload else "UNEXPECTED ANSWERS"
            print(f"{kind} in {name}: {dict(outcome.unexpected)}; e.g. {outcome.examples[:3]}")
            failed = failed or not step_overload
    total = sum(sum(o.unexpected.values()) for o in report.main)
    print(f"non-200 answers (other than the expected 404s) in the main scenarios: {total}")
    if failed:
        print("FAILED: some requests got answers they should not have (see above)")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    plan = Plan.of(args)
    ensure_pacer()
    env = plan.service_env(args.env)
    started = time.monotonic()
    with (
        terminate_as_interrupt(),
        machine_lock("directory bench"),
        running_stack(env, args.instances) as stack,
    ):
        runner = prepare(stack, args)
        report = measure(stack, runner, args, plan)
        status = print_report(report, args, plan, env)
    log(f"done in {time.monotonic() - started:.0f} s")
    return status


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        log("interrupted; everything the bench started has been stopped")
        sys.exit(130)
