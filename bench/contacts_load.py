"""Constant-rate attacks with oha, one at a time on this machine.

oha's installation, command line and results are in oha.py (why oha and not vegeta: there);
the attack itself is run here, inside the machine-wide bench lock (`flock` on
/tmp/contacts-bench.lock, the same lock flock(1) takes) and only when no other load generator
(oha, pacer, or a vegeta attack) is running, so that two benchmarks never share the two cores.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import oha
from kit import log, machine_lock
from loadgen import Result, Target
from measure import CpuSnapshot, Row, percentile, postgres_cpu, process_cpu, summarise

OTHER_ATTACK_WAIT_SECONDS = 1800
IDLE_CPU_SHARE = 0.1  # service + Postgres below 10 % of a core counts as idle
IDLE_TIMEOUT_SECONDS = 300  # an overloaded attack leaves a backlog the service works off


@contextlib.contextmanager
def bench_lock(what: str) -> Iterator[None]:
    """Hold the machine-wide bench lock (stack.machine_lock), then wait for other attacks."""
    with machine_lock(what):
        wait_for_other_attacks(what)
        yield


def other_attacks() -> list[str]:
    """Running load generators (found by `pgrep -af 'vegeta|oha|pacer'`, then narrowed to
    command lines that run an `oha` or `pacer` binary or a `vegeta` one with `attack`, so that
    an editor or a grep does not count)."""
    found = subprocess.run(
        ["pgrep", "-af", "vegeta|oha|pacer"],  # noqa: S607
        capture_output=True, text=True, timeout=10, check=False,
    ).stdout.splitlines()  # fmt: skip
    attacks = []
    for line in found:
        pid, *argv = line.split()
        program = Path(argv[0]).name if argv else ""
        vegeta = "attack" in argv and any(Path(arg).name == "vegeta" for arg in argv)
        if int(pid) != os.getpid() and (program in ("oha", "pacer") or vegeta):
            attacks.append(line)
    return attacks


def wait_for_other_attacks(what: str) -> None:
    deadline = time.monotonic() + OTHER_ATTACK_WAIT_SECONDS
    while others := other_attacks():
        if time.monotonic() > deadline:
            raise RuntimeError(f"another load generator is still running: {others}")
        log(f"{what}: waiting, another load generator is running: {others[0][:120]}")
        time.sleep(5)


def wait_until_idle(service_pids: list[int], postmaster_pid: int) -> None:
    """Before an attack: until the service and Postgres have worked off any backlog of the
    one before (the load generator gives up on a request after its timeout; the service does
    not)."""
    deadline = time.monotonic() + IDLE_TIMEOUT_SECONDS
    started = time.monotonic()
    while time.monotonic() < deadline:
        before = _busy(service_pids, postmaster_pid)
        time.sleep(0.5)
        if _busy(service_pids, postmaster_pid) - before < IDLE_CPU_SHARE / 2:
            if time.monotonic() - started > 5:
                log(f"the service was busy for {time.monotonic() - started:.0f} s more")
            return
    log(f"the service was still busy after {IDLE_TIMEOUT_SECONDS} s; going on")


def _busy(service_pids: list[int], postmaster_pid: int) -> float:
    return sum(process_cpu(pid) for pid in service_pids) + postgres_cpu(postmaster_pid)


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


@dataclass
class Attack:
    """One scenario's answers: its row, the load average around it, the non-200 answers."""

    row: Row
    load_before: str
    load_after: str
    unexpected: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    p99_by_second: list[float] = field(default_factory=list)  # ms, by the second sent


def _p99_by_second(results: list[Result]) -> list[float]:
    """p99 latency (ms) of the requests due in each second of the attack, in order: the slow
    answers of a run on this machine come in bursts of a second or two."""
    first = min(r.sent_ns for r in results)
    seconds: dict[int, list[float]] = {}
    for r in results:
        seconds.setdefault((r.sent_ns - first) // 1_000_000_000, []).append(r.latency_ns / 1e6)
    return [percentile(sorted(seconds[s]), 0.99) for s in sorted(seconds)]


def _kind(result: Result) -> str:
    """`503`, or `0 timeout` / `0 <error>` when no answer came (without the URL in it)."""
    if result.code:
        return str(result.code)
    if "timeout" in result.error.lower() or "timed out" in result.error.lower():
        return "0 timeout"
    return "0 " + result.error.rsplit(": ", 1)[-1]


def _window_seconds(results: list[Result]) -> float:
    first = min(r.sent_ns for r in results)
    last = max(r.sent_ns + r.latency_ns for r in results)
    return (last - first) / 1e9


def attack(
    name: str,
    targets: list[Target],
    rate: int,
    seconds: float,
    workdir: Path,
    pids: tuple[list[int], int],
) -> Attack:
    """`rate` requests/s for `seconds` over `targets` (taken at random when there are several);
    every answer must be 200. `pids` are the service's and the postmaster's, for CPU per
    request."""
    slug = "".join(c if c.isalnum() else "-" for c in name)
    command = oha.command(targets, rate, seconds, workdir, slug)
    with bench_lock(name):
        wait_until_idle(*pids)
        load_before = load_average()
        log(f"{name}: {rate} req/s for {seconds:g} s (load average {load_before})")
        before = CpuSnapshot.take(*pids)
        done = subprocess.run(  # noqa: S603 - our own oha binary
            command, timeout=seconds + 60, start_new_session=True, check=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"{name}: oha failed ({done.returncode}): {done.stderr}")
        after = CpuSnapshot.take(*pids)
        load_after = load_average()
    results = oha.read_results(workdir, slug)
    if not results:
        raise RuntimeError(f"{name}: oha recorded no results")
    unexpected: Counter[str] = Counter()
    examples: list[str] = []
    for result in results:
        if result.code != 200:
            unexpected[_kind(result)] += 1
            if len(examples) < 5:
                examples.append(f"{result.code} {result.error} {result.url}")
    row = summarise(
        name, f"{rate}/s", [r.latency_ns / 1e6 for r in results],
        len(results) - sum(unexpected.values()), _window_seconds(results),
        before.per_request(after, len(results)),
    )  # fmt: skip
    return Attack(row, load_before, load_after, unexpected, examples, _p99_by_second(results))
