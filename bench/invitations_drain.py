"""Drain benchmark of the invitations service (issue 6, "Tests and figures"). Not a test.

    flock -x /tmp/contacts-bench.lock uv run python bench/invitations_drain.py \
        [--count 100000] [--limited-count 6000] [--rate 100] [--every 2] \
        [--provider-delay-ms 0] [--env NAME=VALUE ...] [--profile [--py-spy PATH]]

Two scenarios, each on a fresh schema and Kafka namespace with one `invitations-service`
process sending through the SMS provider stand-in of the tests (an HTTP server honouring
idempotency keys, in this process):

- `unlimited`: --count invitations, `SENDS_PER_SECOND` far above what the worker reaches;
- `limited`: --limited-count invitations at the provider's rate, `SENDS_PER_SECOND=--rate`.

One import asks for all of them: its `InvitationRequested` events (one inviter, distinct French
mobile numbers, rows 1..N) are published on `importer.imports` at once, as the importer's relay
would. The service turns each into an invitation and a queued delivery, and its worker sends
them. Every --every seconds the bench samples: requests published and not yet consumed (the
consumer's lag), requests consumed and queued for the request processor, invitations created,
deliveries queued, messages sent, unsent outbox rows, and the service's RSS and CPU. It reports
invitations/s, queue depth over time and whether memory stays flat, and checks that the
provider got every message exactly once. --provider-delay-ms makes the stand-in answer each
request after that long, like a real provider (100 to 300 ms). --profile: py-spy on the service and
on this process (invitations_profile.py). See bench/INVITATIONS.md.

Own Postgres (:25932) and Kafka (:29792) in /var/tmp/contacts-platform-bench-invitations, all
stopped at the end. The script does not take the bench lock itself: run it under `flock -x`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import time
import uuid

import asyncpg
from contacts_events import InvitationChannel, InvitationRequested
from contacts_testing.publisher import EventPublisher
from importer_profile import PY_SPY_DEFAULT, PySpy
from importer_watch import status_kb
from invitations_profile import drain_profiler
from invitations_report import Drain, Sample, StackCpu, print_created, print_drain
from invitations_stack import Scenario, running_infra, running_scenario
from kit import log, terminate_as_interrupt
from measure import machine_busy, postgres_cpu, process_cpu, process_tree_cpu

_DEPTHS = """
SELECT (SELECT count(*) FROM inbox WHERE consumer LIKE '%invitations.requests') AS handled,
       ({staged}) AS staged,
       (SELECT count(*) FROM invitations) AS invitations,
       (SELECT count(*) FROM deliveries WHERE status IN ('queued', 'sending')) AS queued,
       (SELECT count(*) FROM deliveries WHERE status = 'sent') AS sent,
       (SELECT count(*) FROM outbox WHERE sent_at IS NULL) AS outbox
"""
_STAGED = "SELECT count(*) FROM invitation_requests WHERE failed_at IS NULL"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="invitations, unlimited rate")
    parser.add_argument("--limited-count", type=int, default=6_000,
                        help="invitations at the provider's rate (0: skip)")  # fmt: skip
    parser.add_argument("--rate", type=float, default=100, help="the provider's rate, per second")
    parser.add_argument("--every", type=float, default=2, help="seconds between samples")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds one drain may take")
    parser.add_argument("--provider-delay-ms", type=float, default=0,
                        help="the SMS stand-in answers each request after this long")  # fmt: skip
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting of the service (SEND_CONCURRENCY=20, ...)")  # fmt: skip
    parser.add_argument("--created-only", action="store_true",
                        help="stop once every invitation is created: the CPU of creating them "
                             "(with --provider-delay-ms 1000 and SEND_CONCURRENCY=1 few are sent "
                             "meanwhile)")  # fmt: skip
    parser.add_argument("--profile", action="store_true",
                        help="py-spy the service and the stand-in while they drain")  # fmt: skip
    parser.add_argument("--py-spy", default=os.environ.get("PY_SPY", PY_SPY_DEFAULT),
                        help="py-spy executable (install it outside the project, e.g. in /tmp)")  # fmt: skip
    return parser.parse_args(argv)


def requests(import_id: uuid.UUID, inviter: uuid.UUID, rows: range) -> list[InvitationRequested]:
    """Requests of one import for its `rows`: one inviter, a distinct French mobile a row."""
    return [
        InvitationRequested(
            import_id=import_id,
            inviter_id=inviter,
            request_id=uuid.uuid4(),
            channel=InvitationChannel.SMS,
            phone_e164=f"+336{10_000_000 + row:08d}",
            row_number=row,
        )
        for row in rows
    ]


def stack_cpu(scenario: Scenario) -> StackCpu:
    return StackCpu(
        process_tree_cpu(scenario.pid), postgres_cpu(scenario.postmaster),
        sum(process_cpu(pid) for pid in scenario.brokers), process_cpu(os.getpid()),
        machine_busy(), time.monotonic(),
    )  # fmt: skip


async def publish(scenario: Scenario, count: int, published: list[int]) -> None:
    """The whole import, 10,000 requests at a time (all on the import's partition)."""
    import_id, inviter = uuid.uuid4(), uuid.uuid4()
    async with EventPublisher(scenario.bootstrap, scenario.namespace, "/services/importer") as out:
        for first in range(1, count + 1, 10_000):
            rows = range(first, min(count, first + 9_999) + 1)
            await out.publish(*requests(import_id, inviter, rows))
            published[0] = rows[-1]


async def drain(
    scenario: Scenario, count: int, every: float, give_up_after: float, created_only: bool = False,
    profiler: PySpy | None = None,
) -> Drain:  # fmt: skip
    """Publish the import's requests and sample until every invitation is sent (created)."""
    conn = await asyncpg.connect(scenario.dsn, server_settings={"search_path": scenario.schema})
    queue = await conn.fetchval("SELECT to_regclass('invitation_requests') IS NOT NULL")
    depths = _DEPTHS.format(staged=_STAGED if queue else "SELECT 0")  # before request batches
    published = [0]
    samples: list[Sample] = []
    cpu0, began, stack0 = process_tree_cpu(scenario.pid), time.monotonic(), stack_cpu(scenario)
    sender = asyncio.create_task(publish(scenario, count, published))
    if profiler is not None:
        log(f"py-spy: service pid {scenario.pid}, bench and stand-in pid {os.getpid()}")
        profiler.start()
    try:
        while True:
            scenario.check_service()
            row = await conn.fetchrow(depths)
            samples.append(Sample(
                seconds=time.monotonic() - began, published=published[0], handled=row["handled"],
                staged=row["staged"], invitations=row["invitations"], queued=row["queued"], sent=row["sent"],
                outbox=row["outbox"], rss_kb=status_kb(scenario.pid, "VmRSS"),
                cpu_seconds=process_tree_cpu(scenario.pid) - cpu0,
            ))  # fmt: skip
            if row["sent"] >= count and row["outbox"] == 0:
                break
            if created_only and row["invitations"] >= count:
                break
            if row["handled"] >= count and row["staged"] == 0 and row["invitations"] < count:
                raise RuntimeError(f"{count - row['invitations']} requests refused: {samples[-1]}")
            if samples[-1].seconds > give_up_after:
                raise RuntimeError(f"not drained in {give_up_after:g} s: {samples[-1]}")
            await asyncio.sleep(every)
        await sender
        stack = stack_cpu(scenario) - stack0
        statuses = dict(
            await conn.fetch("SELECT status, count(*) FROM invitations GROUP BY status")
        )
    finally:
        sender.cancel()
        await conn.close()
        if profiler is not None:
            profiler.stop()
    standin = scenario.standin
    assert standin is not None, "the drain counts the stand-in's requests: it runs in-process"
    return Drain(scenario.name, count, samples, statuses, len(standin.requests),
                 len(standin.delivered), len({r["To"] for r in standin.requests}), stack)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"machine: {os.cpu_count()} cores (shared), {platform.machine()}, "
          f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    plan = [("unlimited", args.count, 1_000_000.0)]
    if args.limited_count:
        plan.append(("limited", args.limited_count, args.rate))
    common = {"INVITER_DAILY_CAP": str(10 * args.count), "LOG_LEVEL": "WARNING",
              **dict(setting.split("=", 1) for setting in args.env)}  # fmt: skip
    delay = args.provider_delay_ms / 1000
    print(f"provider answers after {args.provider_delay_ms:g} ms; settings {common}")
    results = []
    with terminate_as_interrupt(), running_infra() as infra:
        for name, count, rate in plan:
            env = {**common, "SENDS_PER_SECOND": f"{rate:g}"}
            with running_scenario(infra, name, env, delay) as scenario:
                log(f"{name}: {count:,} invitations, SENDS_PER_SECOND={rate:g}")
                spy = drain_profiler(args.py_spy, scenario.pid, name) if args.profile else None
                result = asyncio.run(
                    drain(scenario, count, args.every, args.timeout, args.created_only, spy)
                )
            if args.created_only:
                print_created(result)
            else:
                print_drain(result, rate if name == "limited" else None)
            sys.stdout.flush()
            results.append(result)
    if args.created_only:
        return 0 if all(r.samples[-1].invitations == r.count for r in results) else 1
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
