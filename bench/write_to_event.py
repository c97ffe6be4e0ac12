"""API write to its event on Kafka (issue 18, target 3: p99 < 100 ms at 200 writes/s). Not a test.

    uv run python bench/write_to_event.py [--rate 200] [--seconds 40] [--idle 10] [--warmup 20]
        [--owners 20] [--no-handover] [--writes-csv PATH] [--env NAME=VALUE ...]
        [--contacts-env NAME=VALUE ...]

Starts its own Postgres (:26132) and Kafka (:29992, controller :29993) in
/var/tmp/contacts-platform-bench-write-to-event, the invitations service with its SMS provider
stand-in answering at once (invitations_stack; in a process of its own, so that the load
generator's Python does not hold its answers back), and the contacts service beside it on the same
namespace (contacts_stack.running_beside); registers owners and users (the contacts
projection), and pre-adds the contacts the archives will move. Then, holding the machine-wide
bench lock: --idle lone writes of each kind, half a second apart (the baseline), --warmup
seconds of writes at --rate (the services, Postgres and the broker's JVM were just started:
a service that has run for a while has its connections open, its statements prepared and its
broker's code compiled; reported apart), and an open loop of --rate writes/s for --seconds
(add contact, archive, invite, in turn), sent by pacer (write_to_event_load). It reads
`contacts.contacts` and `invitations.invitations` back and prints, per kind and overall, the
percentiles of the time from each write's due time to its event's CreateTime (the relay's
producer sets it), what the loaded phase cost (write_to_event_costs), and where a loaded
invite's time went after its HTTP answer (write_to_event_stages). `--no-handover` runs the
invitations service with its API queueing messages for the delivery worker's poll
(DELIVERY_HANDOVER=false). `--owners` spreads the writes over that many owners (20: each
owner writes 10 times a second at 200/s, and its writes queue on its counter rows, which a
person never does; 1,000: a twentieth of a write a second each). `--env` and `--contacts-env`
add settings of the invitations and the contacts service. See bench/README.md,
"Write to event".
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import itertools
import os
import random
import sys
import threading
import time
import uuid
from pathlib import Path

import asyncpg
from contacts_events import UserRegistered
from contacts_events.connect_id import generate
from contacts_stack import running_beside
from contacts_testing.publisher import EventPublisher
from invitations_stack import running_infra, running_scenario
from kit import log, machine_lock, terminate_as_interrupt
from measure import print_table, summarise
from write_to_event_costs import Costs, costs, print_costs
from write_to_event_load import KINDS, Write, find_events, open_loop, session
from write_to_event_stages import print_invite_stages

USERS = 600  # the contacts the owners add and archive
STATE_DIR = Path("/var/tmp/contacts-platform-bench-write-to-event")  # noqa: S108 - its own
PG_PORT, KAFKA_PORT = 26132, 29992  # and 29993 for Kafka's controller
SERVICE_ENV = {  # the limits of a real deployment would refuse a bench's thousands of SMS
    "COUNTRY_ALLOW_LIST": "false", "INVITER_DAILY_CAP": "1000000",
    "DESTINATION_DAILY_CAP": "1000", "SENDS_PER_SECOND": "1000", "LOG_LEVEL": "INFO",
}  # fmt: skip


def people(count: int, prefix: str) -> list[UserRegistered]:
    return [
        UserRegistered(user_id=uuid.uuid4(), connect_id=generate(), display_name=f"{prefix} {n}",
                       phone_e164=f"+44740{n:07d}" if prefix == "Owner" else f"+44750{n:07d}")
        for n in range(count)
    ]  # fmt: skip


async def register(bootstrap: str, namespace: str, dsn: str, schema: str,
                   users: list[UserRegistered]) -> None:  # fmt: skip
    """Publish the users as the directory would; wait until the contacts projection has them."""
    async with EventPublisher(bootstrap, namespace, "/bench") as events:
        await events.publish(*users)
    conn = await asyncpg.connect(dsn, server_settings={"search_path": schema})
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if await conn.fetchval("SELECT count(*) FROM directory_users") >= len(users):
                break
            await asyncio.sleep(0.5)
        else:
            raise RuntimeError("the contacts projection did not get every user in 120 s")
    finally:
        await conn.close()
    log(f"registered {len(users)} users")


def plan(owners: list[UserRegistered], users: list[UserRegistered], writes: int, idle: int,
         warm: int) -> tuple[list[Write], list[Write], list[Write], list[Write]]:  # fmt: skip
    """(contacts to add beforehand, idle writes, warm-up writes, loaded writes): every add and
    archive on a pair of its own (an archive moves a contact the first list added), invites to
    new numbers."""
    writes += warm
    pairs = list(itertools.product(owners, users))
    random.Random(18).shuffle(pairs)
    per_kind = writes // 3 + idle + 1
    if 2 * per_kind > len(pairs):
        raise SystemExit(f"{writes} writes need more than {len(owners)} x {len(users)} pairs")
    adds, archives = pairs[:per_kind], pairs[per_kind : 2 * per_kind]
    phones = (f"+3361{n:07d}" for n in itertools.count())
    made = {
        "add": (Write("add", o, c) for o, c in adds),
        "archive": (Write("archive", o, c) for o, c in archives),
        "invite": (Write("invite", owners[n % len(owners)], phone=next(phones)) for n in itertools.count()),
    }  # fmt: skip
    mixed = [next(made[kind]) for _ in range(idle + writes // 3 + 1) for kind in KINDS]
    ahead = [Write("add", o, c) for o, c in archives]
    run = uuid.uuid4().hex[:8]
    for n, write in enumerate(ahead + mixed):
        write.correlation_id = f"wte-{run}-{n}"
    loaded = mixed[3 * idle : 3 * idle + writes]
    return ahead, mixed[: 3 * idle], loaded[:warm], loaded[warm:]


async def add_ahead(writes: list[Write], url: str) -> None:
    """The contacts the archives will move, added through the API 20 at a time."""
    gate = asyncio.Semaphore(20)
    async with session(url) as http:

        async def one(write: Write) -> None:
            async with gate:
                await write.send(http)

        await asyncio.gather(*(one(w) for w in writes))
    failed = [w.status for w in writes if w.status != 201]
    if failed:
        raise RuntimeError(f"{len(failed)} contacts not added ahead: {failed[:5]}")
    log(f"added {len(writes)} contacts ahead")


def report(idle: list[Write], warm: list[Write], loaded: list[Write], rate: float,
           seconds: float) -> None:  # fmt: skip
    runs = (
        ("idle", idle, "2/s", len(idle) / 2), ("warm-up", warm, f"{rate:.0f}/s", len(warm) / rate),
        ("loaded", loaded, f"{rate:.0f}/s", seconds),
    )  # fmt: skip
    for title, measure in (
        ("write to its event on Kafka (success = writes whose event was found)", "latency_ms"),
        ("write to its HTTP answer (the API's share of the above)", "answer_ms"),
        (
            "write to the start of its request (pacer's lateness: its timer, or no connection free)",
            "start_lag_ms",
        ),
    ):
        rows = []
        for name, writes, offered, window in runs:
            for kind in (*KINDS, "all"):
                mine = [w for w in writes if kind in (w.kind, "all")]
                found = [getattr(w, measure) for w in mine]
                times = [t for t in found if t is not None]
                rows.append(summarise(f"{name}: {kind}", offered, times, len(times), window))
        print_table(title, rows)
    for name, writes, _, _ in runs:
        refused = [w.status for w in writes if not 200 <= w.status < 300]
        if refused:
            print(f"{name}: {len(refused)} writes not accepted (statuses {sorted(set(refused))})")


def write_csv(path: Path, writes: list[Write]) -> None:
    """Each write's kind, status and times (seconds since the first was due; the event's
    CreateTime too), to look at a run second by second."""
    start = min(w.due for w in writes)
    with path.open("w", newline="") as out:
        table = csv.writer(out)
        table.writerow(("kind", "status", "due", "started", "answered", "event"))
        for w in writes:
            event = None if w.event_ms is None else w.event_ms / 1000 - start
            times = (w.due - start, w.started - start, w.answered - start, event)
            table.writerow(
                (w.kind, w.status, *(f"{t:.4f}" if t is not None else "" for t in times))
            )
    log(f"wrote {len(writes)} writes to {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=200, help="writes per second (open loop)")
    parser.add_argument("--seconds", type=float, default=40, help="how long the load lasts")
    parser.add_argument("--idle", type=int, default=10, help="lone writes of each kind, idle")
    parser.add_argument("--warmup", type=float, default=20, metavar="SECONDS",
                        help="writes at --rate before the measured ones (reported apart)")  # fmt: skip
    parser.add_argument("--owners", type=int, default=20, help="users whose lists are written")
    parser.add_argument(
        "--no-handover", action="store_true",
        help="DELIVERY_HANDOVER=false: an invite's message is queued, the worker's poll finds it",
    )  # fmt: skip
    parser.add_argument("--writes-csv", type=Path, metavar="PATH",
                        help="also write every loaded write's times there (one row each)")  # fmt: skip
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra invitations service setting (repeatable)")  # fmt: skip
    parser.add_argument("--contacts-env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra contacts service setting (repeatable)")  # fmt: skip
    args = parser.parse_args(argv)
    env = {
        **SERVICE_ENV, "DELIVERY_HANDOVER": "false" if args.no_handover else "true",
        **dict(item.split("=", 1) for item in args.env),
    }  # fmt: skip
    owners, users = people(args.owners, "Owner"), people(USERS, "User")
    ahead, idle, warm, loaded = plan(
        owners, users, int(args.rate * args.seconds), args.idle, int(args.rate * args.warmup)
    )
    with (
        terminate_as_interrupt(),
        running_infra(PG_PORT, KAFKA_PORT, STATE_DIR) as (postgres, kafka),
        running_scenario((postgres, kafka), "wte", env, standin_apart=True) as invitations,
        running_beside(
            postgres.admin_url, kafka, invitations.namespace, f"{invitations.schema}_c",
            STATE_DIR / "logs", dict(item.split("=", 1) for item in args.contacts_env),
        ) as contacts,
    ):  # fmt: skip
        schema = f"{invitations.schema}_c"
        asyncio.run(register(kafka.bootstrap, invitations.namespace, postgres.admin_url,
                             schema, owners + users))  # fmt: skip
        asyncio.run(add_ahead(ahead, contacts.url))
        with machine_lock("write-to-event bench", wait_seconds=None):
            load = os.getloadavg()
            print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
            open_loop(idle, 2.0, contacts.url, invitations.service.url, STATE_DIR)
            # warm-up and measured writes in one open loop (no pause, no new connections
            # between them); the costs are read once the warm-up's writes were due
            before: list[Costs] = []
            warmed = threading.Timer(len(warm) / args.rate, lambda: before.append(costs(invitations, contacts)))  # fmt: skip
            warmed.start()
            open_loop(warm + loaded, args.rate, contacts.url, invitations.service.url, STATE_DIR)
            warmed.join()
            print_costs(before[0], costs(invitations, contacts), len(loaded))
            load = os.getloadavg()
            print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        topics = [f"{invitations.namespace}.{t}" for t in ("contacts.contacts", "invitations.invitations")]  # fmt: skip
        began = time.monotonic()
        asyncio.run(find_events(kafka.bootstrap, topics, idle + warm + loaded, 180))
        log(f"events read back in {time.monotonic() - began:.1f} s")
        report(idle, warm, loaded, args.rate, args.seconds)
        if args.writes_csv:
            write_csv(args.writes_csv, loaded)
        print_invite_stages(postgres.admin_url, invitations.schema, loaded, args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
