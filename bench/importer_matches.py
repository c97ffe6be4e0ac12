"""How soon an import's matched rows become contacts (issue 18, target 5). Not a test.

    uv run python bench/importer_matches.py [--rows 1048576] [--timeout 1800]

One CSV list (importer_files: about 2,700 `user_added` rows in 1,048,576) through one importer,
with the importer bench's own Postgres and Kafka, list, seeding and import run (importer_bulk,
importer_flow), and beside it a `contacts-service` process on the same Postgres (a schema of
its own) and Kafka namespace, as in a deployment. It prints the time from the import's
completion (its `completed_at`) to the CreateTime of the last `ContactAdded` of the import on
`contacts.contacts`, and checks there is one per `user_added` row. Target: within 5 s.
See bench/README.md, "Matches become contacts".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from aiokafka import AIOKafkaConsumer
from contacts_stack import running_beside
from importer_bulk import CHUNK_ROWS_DEFAULT
from importer_files import ContactList, Population, contact_list
from importer_flow import ImportRun, run_import, seed
from importer_stack import STATE_DIR, Infra, running_infra
from importer_stack import running_scenario as running_importers
from kit import log, machine_lock, terminate_as_interrupt

TARGET_S = 5.0


@dataclass
class Additions:
    """The `ContactAdded` events of one owner's import, read from `contacts.contacts`."""

    owner_id: str
    import_id: str
    contacts: set[str] = field(default_factory=set)
    last_timestamp_ms: int = 0  # CreateTime of the latest one (set by the contacts relay)

    def take(self, key: bytes | None, value: bytes | None, timestamp_ms: int) -> None:
        if key != self.owner_id.encode() or value is None:
            return
        data = json.loads(value)
        if data.get("import_id") == self.import_id:
            self.contacts.add(data["contact_user_id"])
            self.last_timestamp_ms = max(self.last_timestamp_ms, timestamp_ms)


async def read_additions(
    bootstrap: str, topic: str, additions: Additions, expected: int, deadline: float
) -> None:
    """Read `topic` from its beginning until `expected` contacts of the import were added."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=f"bench-matches-{uuid.uuid4().hex[:8]}",
        enable_auto_commit=False, auto_offset_reset="earliest",
    )  # fmt: skip
    await consumer.start()
    try:
        while len(additions.contacts) < expected and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=500, max_records=5000)
            for batch in batches.values():
                for record in batch:
                    additions.take(record.key, record.value, record.timestamp)
    finally:
        await consumer.stop()


def measure(args: argparse.Namespace, infra: Infra, listed: ContactList) -> int:
    population = Population(seed=args.seed)
    env = {"IMPORT_CHUNK_ROWS": str(args.chunk_rows), "LOG_LEVEL": "INFO"}
    with (
        running_importers(infra, "matches", 1, env) as scenario,
        running_beside(
            infra.dsn, infra.kafka, scenario.namespace, f"{scenario.schema}_c", STATE_DIR / "logs"
        ),
    ):
        asyncio.run(seed(infra, scenario, population))
        with machine_lock(f"matches bench {listed.rows} rows", wait_seconds=None):
            load = os.getloadavg()
            log(f"lock held; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
            deadline = time.monotonic() + args.timeout
            run = asyncio.run(run_import(infra, scenario, listed, population, deadline))
            expected = run.job["counts"]["user_added"]
            additions = Additions(str(population.owner_id), run.import_id)
            topic = scenario.topic("contacts.contacts")
            reading = read_additions(infra.kafka.bootstrap, topic, additions, expected, deadline)
            asyncio.run(reading)
            load_after = os.getloadavg()
    return report(run, additions, expected, load, load_after)


def report(
    run: ImportRun, additions: Additions, expected: int,
    load: tuple[float, float, float], load_after: tuple[float, float, float],
) -> int:  # fmt: skip
    completed = datetime.fromisoformat(run.job["completed_at"]).timestamp()
    added = len(additions.contacts)
    print(f"load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, at end "
          f"{load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")  # fmt: skip
    print(f"import {run.import_id}: {run.job['total_rows']} rows, completed in "
          f"{run.statuses_s or 0:.1f} s after its start; user_added rows: {expected}")  # fmt: skip
    if run.kafka_s is not None and run.statuses_s is not None:
        print(f"last ImportRowValidated on Kafka: {run.kafka_s - run.statuses_s:+.2f} s "
              "from the completion")  # fmt: skip
    ok = 0 < added == expected and all(passed for _, passed, _ in run.checks)
    if additions.last_timestamp_ms:
        lag = additions.last_timestamp_ms / 1000 - completed
        ok = ok and lag <= TARGET_S
        print(f"last ContactAdded of the import: {lag:+.2f} s from the completion "
              f"(target <= {TARGET_S:.0f} s)")  # fmt: skip
    print(f"ContactAdded of the import: {added} (user_added rows: {expected}); "
          f"importer checks {'passed' if all(p for _, p, _ in run.checks) else 'FAILED'}")  # fmt: skip
    for name, passed, detail in run.checks:
        if not passed:
            print(f"  FAILED {name}: {detail}")
    print("OK" if ok else "NOT MET")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_048_576,
                        help="rows of the CSV list (at least 100,000: the first 75,000 or so "
                             "match only the owner's existing contacts)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated list")
    parser.add_argument("--chunk-rows", type=int, default=CHUNK_ROWS_DEFAULT)
    parser.add_argument("--timeout", type=float, default=1800,
                        help="seconds from the upload to the last ContactAdded")  # fmt: skip
    args = parser.parse_args(argv)
    listed = contact_list(Population(seed=args.seed), args.rows, "csv")
    log(f"{listed.path}: {listed.rows} rows; meant: {listed.expected}")
    with terminate_as_interrupt(), running_infra() as infra:
        return measure(args, infra, listed)


if __name__ == "__main__":
    sys.exit(main())
