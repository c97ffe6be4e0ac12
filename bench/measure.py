"""Latency summaries, CPU accounting from /proc, and the printed table."""

from __future__ import annotations

import math
import os
import resource
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from contacts_testing.processes import descendants

_TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Row:
    """One line of the table: a scenario and what it achieved."""

    scenario: str
    rate: str  # the offered rate ("1000/s"), or "closed" for a one-client loop
    requests: int
    success: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    achieved: float  # successful answers per second of the attack's window
    cpu: CpuPerRequest | None = None


@dataclass(frozen=True)
class CpuPerRequest:
    """CPU milliseconds per request spent by the service, Postgres and the load generator;
    and the cores everything else on the machine kept busy meanwhile (noise)."""

    service_ms: float
    postgres_ms: float
    loadgen_ms: float
    other_cores: float = math.nan


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted sequence."""
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summarise(
    scenario: str,
    rate: str,
    latencies_ms: Sequence[float],
    success: int,
    seconds: float,
    cpu: CpuPerRequest | None = None,
) -> Row:
    ordered = sorted(latencies_ms)
    return Row(
        scenario, rate, len(ordered), success,
        percentile(ordered, 0.50), percentile(ordered, 0.95), percentile(ordered, 0.99),
        ordered[-1] if ordered else math.nan,
        success / seconds if seconds > 0 else math.nan, cpu,
    )  # fmt: skip


def _stat_fields(pid: int) -> list[str]:
    # the command name (field 2) is in parentheses and may hold spaces: split after it
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def process_cpu(pid: int, *, with_reaped_children: bool = False) -> float:
    """CPU seconds (user + system) of a process; optionally with its exited children's."""
    fields = _stat_fields(pid)  # fields[0] is field 3 (state) of proc(5)
    ticks = int(fields[11]) + int(fields[12])
    if with_reaped_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / _TICK


def process_tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its live descendants (a service's HTTP workers, and each
    one's outbox relay process)."""
    return sum(process_cpu(p) for p in (pid, *descendants(pid)))


def postgres_cpu(postmaster: int) -> float:
    """CPU seconds of the postmaster, its live backends and those that already exited."""
    total = process_cpu(postmaster, with_reaped_children=True)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = _stat_fields(int(entry.name))
            if int(fields[1]) == postmaster:
                total += (int(fields[11]) + int(fields[12])) / _TICK
        except (OSError, ValueError):
            continue  # gone meanwhile
    return total


def children_cpu() -> float:
    """CPU seconds of this process's children that exited and were waited for: between two
    snapshots around an attack, the load generator's (pacer, oha), whatever its name."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine_busy() -> float:
    """CPU seconds all cores have been busy (not idle, not waiting for I/O) since boot."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / _TICK


@dataclass(frozen=True)
class CpuSnapshot:
    service: float
    postgres: float
    loadgen: float
    machine: float = math.nan
    wall: float = math.nan

    @classmethod
    def take(cls, service_pid: int | Sequence[int], postmaster_pid: int) -> CpuSnapshot:
        """`service_pid`: the service process, or the processes of its instances (summed)."""
        pids = [service_pid] if isinstance(service_pid, int) else service_pid
        service = sum(process_cpu(pid) for pid in pids)
        postgres, loadgen = postgres_cpu(postmaster_pid), children_cpu()
        return cls(service, postgres, loadgen, machine_busy(), time.monotonic())

    def per_request(self, later: CpuSnapshot, requests: int) -> CpuPerRequest:
        per = 1000 / max(requests, 1)
        service, postgres = later.service - self.service, later.postgres - self.postgres
        loadgen = later.loadgen - self.loadgen
        busy = later.machine - self.machine - service - postgres - loadgen
        other = busy / (later.wall - self.wall)
        return CpuPerRequest(service * per, postgres * per, loadgen * per, other)


HEADER = (
    f"{'scenario':<34} {'rate':>7} {'requests':>8} {'success':>8} {'p50 ms':>7} {'p95 ms':>7} "
    f"{'p99 ms':>7} {'max ms':>7} {'req/s':>7}  cpu ms/req: svc / pg / loadgen; other cores"
)


def format_row(row: Row) -> str:
    cpu = (
        f"{row.cpu.service_ms:.2f} / {row.cpu.postgres_ms:.2f} / {row.cpu.loadgen_ms:.2f}; "
        f"{row.cpu.other_cores:.2f}"
        if row.cpu
        else "-"
    )
    return (
        f"{row.scenario:<34} {row.rate:>7} {row.requests:>8} {row.success:>8} "
        f"{row.p50_ms:>7.2f} {row.p95_ms:>7.2f} {row.p99_ms:>7.2f} {row.max_ms:>7.1f} "
        f"{row.achieved:>7.0f}  {cpu}"
    )


def print_table(title: str, rows: Sequence[Row]) -> None:
    print(f"\n{title}")
    print(HEADER)
    print("-" * len(HEADER))
    for row in rows:
        print(format_row(row))
