"""HTTP scenarios: one pacer attack each, its results checked and summarised."""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from directory_stack import Stack
from kit import log
from loadgen import Result, Target, lookup_targets, write_targets
from measure import CpuPerRequest, CpuSnapshot, Row, machine_busy, process_cpu, summarise
from pacer import attack, read_results

IDLE_CPU_SHARE = 0.05  # the service counts as idle below 5 % of a core
IDLE_TIMEOUT_SECONDS = 60.0
QUIET_CORES = 0.3  # other processes busier than this make the figures noisy
QUIET_TIMEOUT_SECONDS = 60.0


@dataclass
class Outcome:
    """What one attack got back: rows for the table, and any answer that was not expected."""

    rows: list[Row]
    unexpected: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    @property
    def timeouts(self) -> int:
        return self.unexpected["0 timeout"]


def wait_until_idle(pid: int) -> None:
    """Before an attack: until the service has worked off any backlog of the one before."""
    deadline = time.monotonic() + IDLE_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        before = process_cpu(pid)
        time.sleep(0.5)
        if process_cpu(pid) - before < IDLE_CPU_SHARE * 0.5:
            return
    log(f"the service was still busy after {IDLE_TIMEOUT_SECONDS:g} s; going on")


def wait_for_quiet_machine() -> None:
    """Before an attack (our stack idle): until the rest of the machine is about idle too,
    for at most QUIET_TIMEOUT_SECONDS. The table's `other cores` shows what was left."""
    deadline = time.monotonic() + QUIET_TIMEOUT_SECONDS
    told = False
    while time.monotonic() < deadline:
        before = machine_busy()
        time.sleep(1.0)
        busy = machine_busy() - before
        if busy < QUIET_CORES:
            return
        if not told:
            log(f"waiting up to {QUIET_TIMEOUT_SECONDS:g} s: {busy:.1f} cores busy elsewhere")
            told = True
    log("the machine is still busy; measuring anyway (see `other cores`)")


def _kind(result: Result) -> str:
    """`429`, or `0 timeout` / `0 <error>` when no answer came (without the URL in it)."""
    if result.code:
        return str(result.code)
    if result.error == "timeout":
        return "0 timeout"
    return "0 " + result.error.rsplit(": ", 1)[-1]


def _window_seconds(results: list[Result]) -> float:
    first = min(r.sent_ns for r in results)
    last = max(r.sent_ns + r.latency_ns for r in results)
    return (last - first) / 1e9


def _connect_id_of(url: str) -> str:
    return url.rsplit("/", 1)[-1]


@dataclass
class Runner:
    stack: Stack
    workdir: Path
    tokens: list[str]
    known: list[str]
    unknown: list[str]
    unknown_share: float
    rng: random.Random = field(default_factory=lambda: random.Random(42))

    def health(self, name: str, rate: int, seconds: float) -> Outcome:
        targets = [Target(f"{service.url}/health") for service in self.stack.services]
        results, cpu = self._attack(name, targets, rate, seconds)
        return self._classify(name, rate, results, cpu, expect=lambda _url: 200)

    def lookups(self, name: str, rate: int, seconds: float, *, split: bool = False) -> Outcome:
        count = int(rate * seconds)
        urls = [service.url for service in self.stack.services]
        targets = lookup_targets(
            urls, count, self.known, self.unknown, self.tokens, self.unknown_share, self.rng
        )
        results, cpu = self._attack(name, targets, rate, seconds)
        unknown = set(self.unknown)
        outcome = self._classify(
            name, rate, results, cpu,
            expect=lambda url: 404 if _connect_id_of(url) in unknown else 200,
        )  # fmt: skip
        if split:
            window = _window_seconds(results)
            for label, code in (("found, 200", 200), ("unknown, 404", 404)):
                part = [r for r in results if r.code == code]
                latencies = [r.latency_ns / 1e6 for r in part]
                outcome.rows.append(
                    summarise(f"  {name} ({label})", "part", latencies, len(part), window)
                )
        return outcome

    def _attack(
        self, name: str, targets: Iterable[Target], rate: int, seconds: float
    ) -> tuple[list[Result], CpuPerRequest]:
        slug = name.replace(" ", "-").replace("@", "at").replace("/", "")
        target_file = self.workdir / f"{slug}.targets.jsonl"
        output = self.workdir / f"{slug}.csv"
        write_targets(target_file, targets)
        self.stack.check_services()
        pids = self.stack.service_pids()
        for pid in pids:
            wait_until_idle(pid)
        wait_for_quiet_machine()
        log(f"{name}: {rate} req/s for {seconds:g} s")
        before = CpuSnapshot.take(pids, self.stack.postmaster_pid())
        attack(target_file, rate, seconds, output)
        after = CpuSnapshot.take(pids, self.stack.postmaster_pid())
        results = read_results(output)
        self.stack.check_services()
        return results, before.per_request(after, len(results))

    @staticmethod
    def _classify(
        name: str,
        rate: int,
        results: list[Result],
        cpu: CpuPerRequest,
        expect: Callable[[str], int],
    ) -> Outcome:
        outcome = Outcome([])
        for result in results:
            if result.code != expect(result.url):
                outcome.unexpected[_kind(result)] += 1
                if len(outcome.examples) < 5:
                    outcome.examples.append(f"{result.code} {result.error} {result.url}")
        success = len(results) - sum(outcome.unexpected.values())
        latencies = [r.latency_ns / 1e6 for r in results]
        outcome.rows.append(
            summarise(name, f"{rate}/s", latencies, success, _window_seconds(results), cpu)
        )
        return outcome
