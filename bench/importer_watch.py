"""What the importer bench watches while an import runs: the processes' memory and CPU (from
/proc), and the `importer.imports` topic, read by an audit consumer of its own."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import resource
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from aiokafka import AIOKafkaConsumer
from measure import postgres_cpu, process_cpu

_TICK = os.sysconf("SC_CLK_TCK")
_ROW_NUMBER = re.compile(rb'"row_number":(\d+)')
_STATUS = re.compile(rb'"status":"([a-z_]+)"')


def status_kb(pid: int, name: str) -> int:
    """A `kB` line of /proc/<pid>/status (VmRSS, VmHWM); 0 once the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{name}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def reset_peak(pid: int) -> bool:
    """Reset the kernel's peak RSS (VmHWM) of `pid` to its current RSS (proc(5) clear_refs)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def children_of(parents: list[int]) -> list[int]:
    """Live descendants of `parents` (an importer's worker processes, which its fork server,
    one of its children, forks)."""
    parent_of: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parent_of[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found: list[int] = []
    wanted = set(parents)
    while True:
        more = [pid for pid, parent in parent_of.items() if parent in wanted and pid not in found]
        if not more:
            return found
        found += more
        wanted = set(more)


def _with_workers_cpu(pid: int) -> float:
    """CPU seconds of an importer and of its live worker processes."""
    return process_cpu(pid) + sum(process_cpu(child) for child in children_of([pid]))


def _postgres_kind(pid: int) -> str:
    title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    title = title.removeprefix("postgres: ")
    if title.startswith("autovacuum worker"):
        return "autovacuum workers"
    if " " in title and "(" in title:  # `postgres contacts_platform 127.0.0.1(33784) idle`
        return "client backends (queries)"
    return title or "?"


def _importer_kind(pid: int, is_root: bool) -> str:
    """What a process of an importer's tree is, from its command line."""
    if is_root:
        return "service"
    line = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    kinds = [("relay_process", "outbox relay"), ("worker_main", "file readers"),
             ("forkserver", "chunk workers"), ("resource_tracker", "resource tracker")]  # fmt: skip
    return next((kind for marker, kind in kinds if marker in line), "other")


@dataclass
class TreeWatch:
    """CPU seconds of the processes under `roots` by kind, sampled often so that short-lived
    ones count too: Postgres's backends (kind from their title) or an importer's processes
    (its service, relay, chunk workers, file readers: `for_importers`)."""

    roots: list[int]
    kind_of: Callable[[int, bool], str]  # (pid, whether it is a root)
    with_roots: bool = False
    first: dict[int, float] = field(default_factory=dict)
    last: dict[int, tuple[str, float]] = field(default_factory=dict)
    started: bool = False

    @classmethod
    def for_postgres(cls, postmaster: int) -> TreeWatch:
        return cls([postmaster], lambda pid, _root: _postgres_kind(pid))

    @classmethod
    def for_importers(cls, pids: list[int]) -> TreeWatch:
        return cls(pids, _importer_kind, with_roots=True)

    def sample(self) -> None:
        pids = (
            [*self.roots, *children_of(self.roots)] if self.with_roots else children_of(self.roots)
        )
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text()
                fields_after = fields[fields.rindex(")") + 2 :].split()
                cpu = (int(fields_after[11]) + int(fields_after[12])) / _TICK
                kind = (
                    self.last[pid][0] if pid in self.last else self.kind_of(pid, pid in self.roots)
                )
            except (OSError, ValueError, IndexError):
                continue
            if pid not in self.last:
                self.first[pid] = cpu if not self.started else 0.0
            self.last[pid] = (kind, cpu)
        self.started = True

    def by_kind(self) -> dict[str, float]:
        """CPU seconds since the first sample, by kind of process."""
        kinds: dict[str, float] = {}
        for pid, (kind, cpu) in self.last.items():
            kinds[kind] = kinds.get(kind, 0.0) + cpu - self.first.get(pid, 0.0)
        return kinds


@dataclass
class MemoryWatch:
    """Peak RSS of each process: the kernel's VmHWM, and VmRSS polled as a cross-check."""

    pids: list[int]
    polled_kb: dict[int, int] = field(default_factory=dict)
    postgres: TreeWatch | None = None  # sampled every second alongside, when set
    importers: TreeWatch | None = None  # the same

    def sample(self) -> None:
        for pid in [*self.pids, *children_of(self.pids)]:
            self.polled_kb[pid] = max(self.polled_kb.get(pid, 0), status_kb(pid, "VmRSS"))

    def peaks_kb(self) -> dict[int, int]:
        """Each importer's and each of their worker processes' peak (workers show apart)."""
        pids = {*self.pids, *self.polled_kb, *children_of(self.pids)}
        return {pid: max(status_kb(pid, "VmHWM"), self.polled_kb.get(pid, 0)) for pid in pids}

    async def run(self, stop: asyncio.Event, period: float = 0.2) -> None:
        beats = 0
        while not stop.is_set():
            self.sample()
            for tree in (self.postgres, self.importers):
                if tree is not None and beats % 5 == 0:
                    tree.sample()
            beats += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), period)
        self.sample()


def machine_busy() -> float:
    """CPU seconds all processes of the machine have used (non-idle time in /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / _TICK


@dataclass(frozen=True)
class CpuSnapshot:
    """CPU seconds used so far by each importer (with its worker processes), Postgres (all
    backends), each Kafka broker, this bench, and the whole machine (so what other processes
    took is known too)."""

    importers: tuple[float, ...]
    postgres: float
    brokers: tuple[float, ...]
    bench: float
    wall: float
    machine: float = 0.0

    @property
    def kafka(self) -> float:
        """CPU seconds of all the brokers."""
        return sum(self.brokers)

    @property
    def others(self) -> float:
        """CPU seconds of processes that are not this bench's (between two snapshots)."""
        return self.machine - sum(self.importers) - self.postgres - self.kafka - self.bench

    @classmethod
    def take(cls, importer_pids: list[int], postmaster: int, brokers: list[int]) -> CpuSnapshot:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return cls(
            tuple(_with_workers_cpu(pid) for pid in importer_pids), postgres_cpu(postmaster),
            tuple(process_cpu(pid) for pid in brokers), usage.ru_utime + usage.ru_stime,
            time.monotonic(), machine_busy(),
        )  # fmt: skip

    def until(self, later: CpuSnapshot) -> CpuSnapshot:
        """The CPU seconds spent between the two snapshots."""
        return CpuSnapshot(
            _minus(later.importers, self.importers), later.postgres - self.postgres,
            _minus(later.brokers, self.brokers), later.bench - self.bench,
            later.wall - self.wall, later.machine - self.machine,
        )  # fmt: skip


def _minus(later: tuple[float, ...], earlier: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(b - a for a, b in zip(earlier, later, strict=True))


@dataclass
class AuditConsumer:
    """Reads the namespaced `importer.imports` from the beginning (a consumer group of its own)
    and keeps what concerns one import: ImportStarted, one ImportRowValidated per row
    (distinct row numbers, statuses), ImportCompleted. Done at rows + 2 events."""

    bootstrap: str
    topic: str
    import_id: str
    rows: int
    first_row: int = 2
    records: int = 0  # records of this import, repeats included
    started: int = 0
    completed: int = 0
    row_events: int = 0
    distinct_rows: int = 0
    out_of_range: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    partitions: Counter[int] = field(default_factory=Counter)  # row events per partition
    last_row_timestamp_ms: int = 0  # the latest ImportRowValidated's CreateTime (its send)
    first_row_timestamp_ms: int = 0
    done_at: float | None = None  # time.time() when the last expected event was read
    timeline: list[tuple[float, int]] = field(default_factory=list)  # (time.time(), distinct)
    _seen: bytearray = field(init=False)

    def __post_init__(self) -> None:
        self._seen = bytearray(self.rows)
        self._key = self.import_id.encode()

    @property
    def done(self) -> bool:
        return bool(self.started and self.completed and self.distinct_rows >= self.rows)

    async def run(self, deadline: float) -> None:
        consumer = AIOKafkaConsumer(
            self.topic, bootstrap_servers=self.bootstrap, group_id=f"bench-audit-{uuid.uuid4().hex[:8]}",
            enable_auto_commit=False, auto_offset_reset="earliest",
            max_partition_fetch_bytes=4 * 1024 * 1024, fetch_max_bytes=32 * 1024 * 1024,
        )  # fmt: skip
        await consumer.start()
        try:
            while not self.done and time.monotonic() < deadline:
                batches = await consumer.getmany(timeout_ms=500, max_records=20_000)
                for batch in batches.values():
                    for record in batch:
                        self._take(record)
                if not self.timeline or time.time() - self.timeline[-1][0] >= 1:
                    self.timeline.append((time.time(), self.distinct_rows))
                if self.done:
                    self.done_at = time.time()
        finally:
            await consumer.stop()

    def _take(self, record) -> None:  # type: ignore[no-untyped-def]
        if record.key != self._key:
            return
        self.records += 1
        kind = next((v for k, v in record.headers if k == "ce_type"), b"")
        if b".ImportRowValidated." in kind:
            self.row_events += 1
            self.partitions[record.partition] += 1
            found = _ROW_NUMBER.search(record.value)
            index = int(found.group(1)) - self.first_row if found else -1
            if not 0 <= index < self.rows:
                self.out_of_range += 1
                return
            if not self._seen[index]:
                self._seen[index] = 1
                self.distinct_rows += 1
                status = _STATUS.search(record.value)
                self.statuses[status.group(1).decode() if status else "?"] += 1
            stamp = record.timestamp
            self.last_row_timestamp_ms = max(self.last_row_timestamp_ms, stamp)
            if not self.first_row_timestamp_ms or stamp < self.first_row_timestamp_ms:
                self.first_row_timestamp_ms = stamp
        elif b".ImportStarted." in kind:
            self.started += 1
        elif b".ImportCompleted." in kind:
            self.completed += 1
