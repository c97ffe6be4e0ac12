"""Bulk import benchmark of the importer service (issue 5, "Tests and figures"). Not a test.

    uv run python bench/importer_bulk.py [--rows 1048576] [--xlsx-rows 100000] [--instances 1,2]
        [--brokers 1|3]

For (a) a CSV list of --rows rows and (b) an XLSX list of --xlsx-rows rows, with each number of
importer instances (processes of `importer-service` sharing one schema, one Kafka namespace and
so the consumer groups and the work items on `importer.work`), it reports: upload + extraction
time, time to all statuses stored (`completed`), time to all `ImportRowValidated` on Kafka (an
audit consumer reads `importer.imports`), peak RSS of each importer process, and each rate beside
the raw single-process phonenumbers parse + validate rate measured in the same run, with the
target's ratio (issue 18: end-to-end at least the raw rate, with one importer or more; peak
< 512 MB). Instances sharing this host get its cores between them as chunk workers
(`IMPORT_PARSE_PROCESSES` = cores / instances, docs/deployment.md; `--env` overrides it).
See bench/IMPORTER.md.

It starts its own Postgres (:25832) and Kafka (:29692; with --brokers 3 the three-node cluster
on :29694-29696, topics with 3 copies and min ISR 2) in /var/tmp/contacts-platform-bench-importer,
a fresh schema and namespace per scenario, and stops everything at the end, also on errors.
Each measured scenario holds the machine-wide bench lock (flock /tmp/contacts-bench.lock).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import time
from pathlib import Path

import phonenumbers
from contacts_servicekit.cpus import available_cpus
from importer_files import ContactList, Population, contact_list, raw_sample
from importer_flow import run_import, seed
from importer_kafka import idle_brokers_cores
from importer_profile import PY_SPY_DEFAULT, PySpy, explain_chunk
from importer_report import Result, print_report
from importer_service.domain.phones import raw_validation_rate
from importer_stack import STATE_DIR, Infra, running_infra, running_scenario
from importer_watch import children_of
from kit import log, machine_lock, terminate_as_interrupt

CHUNK_ROWS_DEFAULT = 20_000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_048_576, help="rows of the CSV list")
    parser.add_argument("--xlsx-rows", type=int, default=100_000, help="rows of the XLSX list")
    parser.add_argument("--instances", default="1,2", help="importer instances, e.g. 1,2")
    parser.add_argument("--formats", default="csv,xlsx", help="which lists: csv, xlsx or both")
    parser.add_argument("--brokers", type=int, choices=(1, 3), default=1,
                        help="Kafka brokers: 1, or the three-node KRaft cluster (replication 3, "
                             "min ISR 2)")  # fmt: skip
    parser.add_argument("--chunk-rows", type=int, default=CHUNK_ROWS_DEFAULT,
                        help="IMPORT_CHUNK_ROWS of the importers (service default 20000)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated lists")
    parser.add_argument("--timeout", type=float, default=1800,
                        help="seconds one scenario may take, upload to last event")  # fmt: skip
    parser.add_argument("--explain", action="store_true",
                        help="after each scenario: EXPLAIN ANALYZE of one chunk's queries and a "
                             "cProfile of one chunk's parse and emit steps")  # fmt: skip
    parser.add_argument("--pg-stats", action="store_true",
                        help="pg_stat_statements in the bench's Postgres: top statements of the "
                             "validation")  # fmt: skip
    parser.add_argument("--profile", action="store_true",
                        help="py-spy every importer process while it validates")  # fmt: skip
    parser.add_argument("--py-spy", default=os.environ.get("PY_SPY", PY_SPY_DEFAULT),
                        help="py-spy executable (install it outside the project, e.g. in /tmp)")  # fmt: skip
    parser.add_argument("--live-audit", action="store_true",
                        help="read the events while the import runs (the bench's consumer then "
                             "takes CPU from the importers); by default they are read once the "
                             "import is completed, and the Kafka time is the last event's "
                             "CreateTime either way")  # fmt: skip
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra importer setting (repeatable)")  # fmt: skip
    args = parser.parse_args(argv)
    args.instance_counts = [int(n) for n in args.instances.split(",") if n.strip()]
    args.format_list = [f.strip() for f in args.formats.split(",") if f.strip()]
    if not args.instance_counts or any(n < 1 or n > 8 for n in args.instance_counts):
        parser.error("--instances: 1 to 8 instances (8 partitions), e.g. 1,2")
    if any(f not in ("csv", "xlsx") for f in args.format_list):
        parser.error("--formats: csv and/or xlsx")
    return args


def measure_raw_rate(numbers: list[str]) -> float:
    """phonenumbers' bare parse + is_valid_number in this process: warmed up, best of two.
    Measured before the import and again after it, the machine idle both times: on a shared
    host the rate moves by up to 2x between minutes, and the import's ratio is taken against
    the mean of the two (the report prints both)."""
    raw_validation_rate(numbers[:2000], "FR")
    return max(raw_validation_rate(numbers, "FR") for _ in range(2))


def host_share(instances: int) -> int:
    """Chunk workers per importer when `instances` share this host, as docs/deployment.md
    tells an operator to set them without a container's CPU limit: cores / importers (each
    would otherwise count every core and start that many workers, four on two cores)."""
    return max(1, available_cpus() // instances)


def run_scenario(
    args: argparse.Namespace, infra: Infra, population: Population, contacts: ContactList,
    fmt: str, instances: int, sample: list[str],
) -> Result:  # fmt: skip
    name = f"{fmt}-{contacts.rows // 1000}k"
    env = {"IMPORT_CHUNK_ROWS": str(args.chunk_rows), "LOG_LEVEL": "INFO",
           "IMPORT_PARSE_PROCESSES": str(host_share(instances))}  # fmt: skip
    env.update(dict(item.split("=", 1) for item in args.env))
    log(f"{name} x{instances}: IMPORT_PARSE_PROCESSES={env['IMPORT_PARSE_PROCESSES']} each")
    with running_scenario(infra, f"{fmt}{instances}", instances, env) as scenario:
        asyncio.run(seed(infra, scenario, population))
        with machine_lock(f"importer bench {name} x{instances}", wait_seconds=None):
            load = os.getloadavg()
            log(f"{name} x{instances}: lock held; load average {load[0]:.2f} {load[1]:.2f} "
                f"{load[2]:.2f}")  # fmt: skip
            rates: list[float] = []
            idle = idle_brokers_cores(
                infra.kafka_pids(), lambda: rates.append(measure_raw_rate(sample))
            )
            raw_before = rates[0]
            log(f"brokers while idle: {idle:.3f} cores")
            log(f"raw phonenumbers parse + is_valid_number before: {raw_before:,.0f} numbers/s")
            profiler = None
            if args.profile:
                out = STATE_DIR / "profiles" / f"{fmt}{instances}-{time.strftime('%H%M%S')}"
                profiler = PySpy(
                    Path(args.py_spy), lambda: scenario.pids() + children_of(scenario.pids()), out
                )
            deadline = time.monotonic() + args.timeout
            run = asyncio.run(
                run_import(
                    infra,
                    scenario,
                    contacts,
                    population,
                    deadline,
                    profiler,
                    args.pg_stats,
                    args.live_audit,
                )
            )
            raw_after = measure_raw_rate(sample)
            log(f"raw phonenumbers parse + is_valid_number after: {raw_after:,.0f} numbers/s")
            if args.explain:
                chunk = explain_chunk(
                    infra.dsn, scenario.schema, run.import_id, args.chunk_rows,
                    infra.kafka.bootstrap,
                )  # fmt: skip
                try:
                    asyncio.run(chunk)
                except Exception as error:  # the figures above stand without it
                    log(f"--explain failed: {error!r}")
    return Result(
        name, fmt, instances, contacts.rows, (raw_before, raw_after), load, run, args.brokers, idle
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    population = Population(seed=args.seed)
    sizes = {"csv": args.rows, "xlsx": args.xlsx_rows}
    lists: dict[str, ContactList] = {}
    samples: dict[str, list[str]] = {}
    for fmt in args.format_list:
        began = time.monotonic()
        lists[fmt] = contact_list(population, sizes[fmt], fmt)
        samples[fmt] = raw_sample(population, sizes[fmt])
        log(f"{lists[fmt].path}: {lists[fmt].rows} rows, {lists[fmt].megabytes:.1f} MB, "
            f"ready in {time.monotonic() - began:.0f} s; meant: {lists[fmt].expected}")  # fmt: skip
    print(f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}, phonenumbers {phonenumbers.__version__}; "
          f"IMPORT_CHUNK_ROWS={args.chunk_rows}; Kafka brokers: {args.brokers}")  # fmt: skip
    results: list[Result] = []
    with terminate_as_interrupt(), running_infra(args.pg_stats, args.brokers) as infra:
        for fmt in args.format_list:
            for instances in args.instance_counts:
                result = run_scenario(
                    args, infra, population, lists[fmt], fmt, instances, samples[fmt]
                )
                results.append(result)
                print_report([result])
                sys.stdout.flush()
    if len(results) > 1:
        print("\n=== all scenarios ===")
        print_report(results)
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
