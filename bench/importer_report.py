"""The importer bench's printed tables: figures beside the raw validation rate, the target's
ratio, where the time and the CPU went, peak memory, and the correctness checks."""

from __future__ import annotations

import math
from dataclasses import dataclass

from importer_flow import ImportRun
from importer_sizes import describe

TARGET_SHARE = 1.0  # issue 18: end-to-end >= the raw rate, with any number of importers
# (issue 5 asked 0.5 x raw x instances; the share column keeps dividing by the instances)
TARGET_PEAK_MB = 512


@dataclass(frozen=True)
class Result:
    name: str
    fmt: str
    instances: int
    rows: int
    raw_rates: tuple[float, float]  # numbers/s, phonenumbers parse + is_valid_number, one
    # process, measured before and after the import
    load: tuple[float, float, float]  # load average when the scenario started
    run: ImportRun
    brokers: int = 1  # Kafka brokers: 1, or the three-node cluster (3 copies, min ISR 2)
    idle_broker_cores: float = math.nan  # all brokers' CPU with no import going on

    @property
    def raw_rate(self) -> float:
        """The run's baseline: the mean of the raw rates before and after the import."""
        return sum(self.raw_rates) / len(self.raw_rates)

    @property
    def raw_drift(self) -> float:
        """How far apart the two raw rates are, as a share of their mean: the host's own noise
        over the import, which a ratio closer to 1.0 than this does not decide."""
        return (max(self.raw_rates) - min(self.raw_rates)) / self.raw_rate

    @property
    def target_rate(self) -> float:
        return TARGET_SHARE * self.raw_rate

    def rate(self, seconds: float | None) -> float:
        return self.rows / seconds if seconds else math.nan

    def share(self, seconds: float | None) -> float:
        """End-to-end rate / (raw rate x instances)."""
        return self.rate(seconds) / (self.raw_rate * self.instances)

    def peaks_mb(self) -> list[float]:
        run = self.run
        pids = sorted(set(run.extract_peak_kb) | set(run.validate_peak_kb))
        return [
            max(run.extract_peak_kb.get(p, 0), run.validate_peak_kb.get(p, 0)) / 1024 for p in pids
        ]

    @property
    def ok(self) -> bool:
        return all(passed for _, passed, _ in self.run.checks)


def _s(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else "-"


def _mb(values: list[float]) -> str:
    return " / ".join(f"{v:.0f}" for v in values) or "-"


def print_report(results: list[Result]) -> None:
    print("\nImporter bulk benchmark: times from POST /start unless said; rates in rows/s;")
    print("x raw = rate / (raw phonenumbers rate x instances), the raw rate being the mean of"
          " its measures before and after the import (raw drift: how far apart they are);"
          " target: the rate >= the raw rate"
          f" (issue 18), memory < {TARGET_PEAK_MB} MB per importer process\n")  # fmt: skip
    head = (
        f"{'scenario':<10} {'inst':>4} {'rows':>8} {'raw before/after':>16} {'drift':>5} "
        f"{'target/s':>8} {'upl+ext s':>9} "
        f"{'statuses s':>10} {'rows/s':>7} {'x raw':>6} {'kafka s':>8} {'rows/s':>7} {'x raw':>6} "
        f"{'peak RSS MB':>13} {'checks':>6}"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        run = r.run
        print(
            f"{r.name:<10} {r.instances:>4} {r.rows:>8} "
            f"{'/'.join(f'{v:.0f}' for v in r.raw_rates):>16} {r.raw_drift:>5.0%} "
            f"{r.target_rate:>8.0f} "
            f"{run.upload_s + run.extract_s:>9.1f} {_s(run.statuses_s):>10} "
            f"{r.rate(run.statuses_s):>7.0f} {r.share(run.statuses_s):>6.2f} {_s(run.kafka_s):>8} "
            f"{r.rate(run.kafka_s):>7.0f} {r.share(run.kafka_s):>6.2f} {_mb(r.peaks_mb()):>13} "
            f"{'ok' if r.ok else 'FAIL':>6}"
        )
    print("\nWhere the time went (seconds; parse = start to progress 0.5, emit = to completed,"
          " relay tail = completed to last event on Kafka, relay/s = rows / first to last event"
          " timestamp); CPU seconds from start to the audit's last event (others = processes that"
          " are not this bench's; cpu/wall and cpu us/row count this bench's only)")  # fmt: skip
    head = (
        f"{'scenario':<10} {'inst':>4} {'upload':>7} {'extract':>7} {'parse':>6} {'emit':>6} "
        f"{'relay tail':>10} {'relay/s':>7} {'audit':>6} | {'importers cpu':>13} {'postgres':>8} {'kafka':>6} "
        f"{'bench':>6} {'others':>6} {'cpu/wall':>8} {'cpu us/row':>10}"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        run, cpu = r.run, r.run.validate_cpu
        emit = (run.statuses_s - run.parse_s) if run.statuses_s and run.parse_s else None
        tail = (run.kafka_s - run.statuses_s) if run.kafka_s and run.statuses_s else None
        audit = run.audit
        relay = math.nan
        if audit is not None and audit.last_row_timestamp_ms > audit.first_row_timestamp_ms:
            relay = r.rows / ((audit.last_row_timestamp_ms - audit.first_row_timestamp_ms) / 1000)
        if cpu is not None:
            total = sum(cpu.importers) + cpu.postgres + cpu.kafka + cpu.bench
            cpus = (
                f"{'+'.join(f'{c:.1f}' for c in cpu.importers):>13} {cpu.postgres:>8.1f} "
                f"{cpu.kafka:>6.1f} {cpu.bench:>6.1f} {cpu.others:>6.1f} {total / cpu.wall:>8.2f} "
                f"{total / r.rows * 1e6:>10.0f}"
            )
        else:
            cpus = "-"
        print(
            f"{r.name:<10} {r.instances:>4} {run.upload_s:>7.1f} {run.extract_s:>7.1f} "
            f"{_s(run.parse_s):>6} {_s(emit):>6} {_s(tail):>10} {relay:>7.0f} {_s(run.audit_s):>6} "
            f"| {cpus}"
        )
    for r in results:
        for what, spent in (("Postgres", r.run.postgres_cpu), ("Importers'", r.run.importer_cpu)):
            kinds = sorted(spent.items(), key=lambda kv: -kv[1])
            if kinds:
                print(f"  {what} CPU of {r.name} x{r.instances} by process: "
                      + ", ".join(f"{k} {v:.2f} s" for k, v in kinds if v >= 0.01))  # fmt: skip
    for r in results:
        if r.run.statements:
            print(f"\nTop statements of {r.name} x{r.instances} (pg_stat_statements, from start"
                  " to the last event): total ms, calls, rows, query")  # fmt: skip
            for query, calls, ms, rows in r.run.statements:
                print(f"  {ms:9.0f} {calls:8} {rows:9}  {query}")
        if r.run.slow_plans:
            print(f"\nStatements of {r.name} x{r.instances} slower than the auto_explain threshold,"
                  " with the plan they actually ran with (the slowest run's):")  # fmt: skip
            for query, count, total, plan in r.run.slow_plans[:8]:
                print(f"  {count} runs, {total:.0f} ms in all: {query}")
                for line in plan.splitlines()[:12]:
                    print(f"      {line[:150]}")
    print_per_core(results)
    print("\nPeak RSS per importer process (MB): upload + extraction / validation (VmHWM)")
    for r in results:
        run = r.run
        pids = sorted(run.validate_peak_kb)
        both = ", ".join(
            f"pid {p}: {run.extract_peak_kb.get(p, 0) / 1024:.0f} / "
            f"{run.validate_peak_kb[p] / 1024:.0f}"
            for p in pids
        )
        print(f"  {r.name:<10} x{r.instances}: {both}")
    print("\nVerdict")
    for r in results:
        run = r.run
        e2e = r.share(run.kafka_s)
        met = r.rate(run.kafka_s) >= r.target_rate
        peak = max(r.peaks_mb(), default=math.nan)
        print(
            f"  {r.name:<10} x{r.instances}: end-to-end (all events on Kafka) "
            f"{r.rate(run.kafka_s):,.0f} rows/s = {e2e:.2f} x raw x {r.instances} "
            f"({'meets' if met else 'MISSES'} >= {TARGET_SHARE:.1f} x raw); "
            f"statuses stored {r.share(run.statuses_s):.2f}; raw rate "
            f"{' then '.join(f'{v:,.0f}' for v in r.raw_rates)} (drift {r.raw_drift:.0%}); "
            f"peak {peak:.0f} MB "
            f"({'meets' if peak < TARGET_PEAK_MB else 'MISSES'} < {TARGET_PEAK_MB}); "
            f"load at start {r.load[0]:.2f}{_against_one(r, results)}"
        )
    print("\nCorrectness checks")
    for r in results:
        for name, passed, detail in r.run.checks:
            print(f"  {r.name:<10} x{r.instances} {'ok  ' if passed else 'FAIL'} {name}"
                  + ("" if passed else f": {detail}"))  # fmt: skip


def _against_one(r: Result, results: list[Result]) -> str:
    """Several importers against one on the same list in this run (issue 18: faster)."""
    one = next((o for o in results if o.name == r.name and o.instances == 1), None)
    if r.instances == 1 or one is None:
        return ""
    ratio = r.rate(r.run.kafka_s) / one.rate(one.run.kafka_s)
    verdict = "meets: faster than one" if ratio > 1 else "MISSES: not faster than one"
    return f"; {ratio:.2f} x one importer's rate ({verdict})"


def _per_cpu_second(rows: int, seconds: float) -> str:
    return f"{rows / seconds:,.0f}" if seconds > 0 else "-"


def print_per_core(results: list[Result]) -> None:
    """What a core does, from the CPU the validation took (start to `completed`, before the
    bench's audit reads anything): rows per CPU-second of the importers (with their phone
    workers), Postgres and the brokers; the brokers' CPU per event, by broker, for producing
    and replicating (to `completed`) and for the audit consumer's reading (after it)."""
    print(
        "\nPer core (start to completed): rows per CPU-second of importers / postgres / kafka;"
        " broker CPU per event (all brokers: produce + replicate, then the audit's read)"
    )
    for r in results:
        produce, total, audit = r.run.completed_cpu, r.run.validate_cpu, r.run.audit
        if produce is None or total is None or audit is None:
            continue
        read_us = (total.kafka - produce.kafka) / r.rows * 1e6
        by_broker = " / ".join(f"{c:.1f}" for c in produce.brokers)
        print(
            f"  {r.name:<10} x{r.instances} on {r.brokers} broker(s): rows per CPU-s "
            f"{_per_cpu_second(r.rows, sum(produce.importers))} / "
            f"{_per_cpu_second(r.rows, produce.postgres)} / {_per_cpu_second(r.rows, produce.kafka)}"
            f"; broker CPU s {by_broker} = {produce.kafka / r.rows * 1e6:.1f} us/event produced, "
            f"{read_us:.1f} us/event read; the import's events on partition(s) "
            f"{dict(audit.partitions)}; others took {produce.others:.1f} CPU-s in "
            f"{produce.wall:.1f} s"
        )
        net = produce.kafka - r.idle_broker_cores * produce.wall
        print(f"  {'':<10} brokers idle {r.idle_broker_cores:.3f} cores; net of it "
              f"{net / r.rows * 1e6:.1f} us/event produced (all copies)")  # fmt: skip
    for r in results:
        if r.run.footprint is not None:
            print(f"  {r.name:<10} x{r.instances} Postgres: {describe(r.run.footprint, r.rows)}")
