"""Finding the importer's cost: py-spy on the live importer processes while they validate
(--profile), and one chunk's steps replayed in a rolled-back transaction with the service's own
code, timed call by call, under cProfile, and with EXPLAIN ANALYZE of every query (--explain).

py-spy is not a project dependency: install it outside the project (e.g.
`uv venv /tmp/importer-prof && uv pip install --python /tmp/importer-prof/bin/python py-spy`)
and pass --py-spy or PY_SPY.
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
from contacts_events import EventContext, ImportSource
from contacts_messaging import bulk
from contacts_messaging.kafka import ensure_topics, make_producer
from contacts_messaging.outbox import Outbox
from contacts_messaging.producer_settings import ProducerSettings
from contacts_messaging.record_batch import PrebuiltBatch
from contacts_messaging.relay import _CLAIM
from contacts_messaging.topic_plan import TopicSpec
from importer_service.adapters import chunk_checks, row_frames
from importer_service.adapters import imports_repository as imports
from importer_service.adapters.chunk_workers import ChunkWorkers
from importer_service.adapters.row_events import RowEventWriter
from importer_service.domain.phones import check_phone, raw_validation_rate
from importer_service.handlers import chunk_outcomes, chunk_steps
from kit import log

PY_SPY_DEFAULT = "/tmp/importer-prof/bin/py-spy"  # noqa: S108 - installed outside the project

# (function, file) markers, most specific first; a sample goes to the marker nearest its leaf.
SPECIFIC = [
    ("check_phone", "phones.py", "parse: check_phone (phonenumbers)"),
    ("classify", "statuses.py", "emit: classify"),
    ("_row_events", "chunk_outcomes.py", "emit: row columns (names, emails)"),
    ("records", "row_events.py", "emit: serialise ImportRowValidated records (values)"),
    ("pack", "bulk.py", "emit: record batches (build, zstd)"),
    ("add_bulk", "outbox.py", "outbox: bulk row INSERT"),
    ("add", "outbox.py", "outbox: single events"),
    ("store_statuses", "import_rows_repository.py", "store_statuses: COPY import_row_statuses"),
    ("status_tuples", "status_copy.py", "emit: the statuses' COPY tuples"),
    ("rows_csv", "row_frames.py", "fetch the chunk's rows (CSV COPY)"),
    ("rows_frame", "row_frames.py", "read the rows' CSV (polars; workers)"),
    ("store", "chunk_checks.py", "parse: store the chunk's checks"),
    ("load", "chunk_checks.py", "emit: load the chunk's checks"),
    ("users_by_phone", "projection.py", "emit: lookups"),
    ("first_rows", "chunk_checks.py", "emit: lookups"),
    ("contacts_among", "projection.py", "emit: lookups"),
    ("invited_among", "projection.py", "emit: lookups"),
    ("owner_phone", "projection.py", "emit: lookups"),
    ("_send", "relay.py", "relay: record batches (send_batch; single events appended)"),
    ("publish_batch", "relay.py", "relay: claim + mark sent (Postgres)"),
    ("extract_rows", "extraction.py", "extraction (file -> COPY import_rows)"),
    ("process", "inbox.py", "inbox + pipeline glue (handler code outside the steps above)"),
]
GENERIC = [
    ("aiokafka", "aiokafka internals (sender, fetcher, consumer)"),
    ("faststream", "faststream (consumer loop)"),
    ("asyncpg", "asyncpg (other)"),
    ("uvicorn", "HTTP (uvicorn)"),
    ("starlette", "HTTP (starlette/fastapi)"),
]


IDLE = "event loop itself (waiting, scheduling)"
_LOOP = ("Runner.run", "BaseEventLoop.run_until_complete", "BaseEventLoop.run_forever",
         "BaseEventLoop._run_once", "Handle._run")  # fmt: skip


def _function(frame: str) -> str:
    """`OutboxRelay._send (contacts_messaging/relay.py:123)` -> `_send`."""
    return frame.split(" (", 1)[0].rsplit(".", 1)[-1]


Specific = Sequence[tuple[str, str, str]]  # (function, file, label)
Generic = Sequence[tuple[str, str]]  # (package, label)


def bucket_of(
    frames: Sequence[str], specific: Specific = SPECIFIC, generic: Generic = GENERIC
) -> str:
    """`frames` root first, as py-spy writes them: `Class.function (path:line)`. Only the frames
    above the event loop (the task's own code) count. The markers are the importer's unless
    another bench gives its own."""
    loop = [i for i, frame in enumerate(frames) if frame.split(" (", 1)[0] in _LOOP]
    task = frames[loop[-1] + 1 :] if loop else frames
    for frame in reversed(task):
        name = _function(frame)
        for function, path, label in specific:
            if name == function and path in frame:
                return label
    for frame in reversed(task):
        for hint, label in generic:
            if f"{hint}/" in frame:
                return label
    if not task or all(f.split(" (", 1)[0].endswith("select") for f in task):
        return IDLE
    return "other (logging, json, asyncio callbacks, ...)"


def summarise_collapsed(
    path: Path, bucket: Callable[[Sequence[str]], str] = bucket_of
) -> tuple[int, Counter[str]]:
    """Samples per bucket of a py-spy `--format raw` (collapsed stacks) file."""
    buckets: Counter[str] = Counter()
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        buckets[bucket(stack.split(";"))] += int(count)
        total += int(count)
    return total, buckets


class PySpy:
    """`py-spy record` attached to each process (the importers by default) from start() to
    stop() (non-blocking, so they are not paused), then a table of where their samples went,
    sorted by `bucket` (every thread of a process: the bench's own servers in threads too).
    `pids` is called at start(): processes started meanwhile (chunk workers) are included."""

    RATE = 97

    def __init__(
        self, executable: Path, pids: Callable[[], list[int]], out_dir: Path, name: str = "importer",
        bucket: Callable[[Sequence[str]], str] = bucket_of,
    ) -> None:  # fmt: skip
        self.executable = executable
        self.pids = pids
        self.out_dir = out_dir
        self.name, self.bucket = name, bucket
        self._running: list[tuple[int, subprocess.Popen[bytes], Path]] = []
        self._began = 0.0

    def start(self) -> None:
        if not self.executable.exists():
            log(f"--profile: no py-spy at {self.executable}; not profiling")
            return
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for pid in self.pids():
            out = self.out_dir / f"{self.name}-{pid}.collapsed"
            command = [str(self.executable), "record", "--pid", str(pid), "--rate", str(self.RATE),
                       "--nonblocking", "--format", "raw", "--output", str(out)]  # fmt: skip
            with (self.out_dir / f"py-spy-{pid}.log").open("wb") as err:
                process = subprocess.Popen(command, stdout=err, stderr=subprocess.STDOUT)  # noqa: S603
            self._running.append((pid, process, out))
        self._began = time.monotonic()

    def stop(self) -> None:
        seconds = time.monotonic() - self._began
        for _pid, process, _out in self._running:
            process.send_signal(signal.SIGINT)
        for _pid, process, _out in self._running:
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        for pid, _process, out in self._running:
            if not out.exists():
                log(f"py-spy wrote nothing for pid {pid}; see {self.out_dir}")
                continue
            total, buckets = summarise_collapsed(out, self.bucket)
            busy = total - buckets[IDLE]
            print(f"\npy-spy, {self.name} pid {pid}: {total} samples over {seconds:.0f} s at "
                  f"{self.RATE}/s, {busy} in Python code ({busy / max(seconds * self.RATE, 1):.0%}"
                  f" of the window); share of those busy samples:\n  ({out})")  # fmt: skip
            for label, count in buckets.most_common():
                if label != IDLE:
                    print(f"  {count / max(busy, 1):6.1%}  {label}")
        self._running.clear()


class _TimedConnection:
    """Passes calls to an asyncpg connection, timing each (and, with `explain`, first running
    EXPLAIN (ANALYZE, BUFFERS) of each data query with the same arguments)."""

    def __init__(self, conn: asyncpg.Connection, *, explain: bool = False) -> None:
        self._conn = conn
        self._explain = explain
        self.calls: list[tuple[str, float]] = []
        self.plans: list[tuple[str, str]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    async def _plan(self, query: str, args: tuple[Any, ...]) -> None:
        if self._explain and query.lstrip().split()[0].upper() in ("SELECT", "UPDATE", "WITH"):
            rows = await self._conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {query}", *args)
            self.plans.append((_label(query), "\n".join(r[0] for r in rows)))
            if args:
                self.plans.append((f"{_label(query)}\n  GENERIC plan (what a prepared statement"
                                   " reused on one connection gets after 5 runs)",
                                   await self._generic_plan(query, args)))  # fmt: skip

    async def _generic_plan(self, query: str, args: tuple[Any, ...]) -> str:
        """EXPLAIN ANALYZE of the statement prepared and run with plan_cache_mode =
        force_generic_plan: asyncpg caches prepared statements per connection, and Postgres
        switches a statement to its generic plan after five runs when it looks no worse."""
        statement = await self._conn.prepare(query)
        types = [t.name for t in statement.get_parameters()]
        literals = [  # EXECUTE takes no bind parameters: the values as typed literals
            f"{await self._conn.fetchval(f'SELECT quote_nullable($1::{kind}::text)', arg)}::{kind}"
            for kind, arg in zip(types, args, strict=True)
        ]
        await self._conn.execute(f"PREPARE bench_generic ({', '.join(types)}) AS {query}")
        try:
            await self._conn.execute("SET plan_cache_mode = force_generic_plan")
            rows = await self._conn.fetch(
                f"EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_generic ({', '.join(literals)})"
            )
        finally:
            await self._conn.execute("RESET plan_cache_mode")
            await self._conn.execute("DEALLOCATE bench_generic")
        return "\n".join(r[0] for r in rows)

    async def _timed(self, what: str, query: str, args: tuple[Any, ...], **kw: Any) -> Any:
        await self._plan(query, args)
        began = time.perf_counter()
        result = await getattr(self._conn, what)(query, *args, **kw)
        self.calls.append((_label(query), time.perf_counter() - began))
        return result

    async def fetch(self, query: str, *args: Any) -> Any:
        return await self._timed("fetch", query, args)

    async def fetchrow(self, query: str, *args: Any) -> Any:
        return await self._timed("fetchrow", query, args)

    async def fetchval(self, query: str, *args: Any) -> Any:
        return await self._timed("fetchval", query, args)

    async def execute(self, query: str, *args: Any) -> Any:
        return await self._timed("execute", query, args)

    async def copy_records_to_table(self, table: str, **kw: Any) -> Any:
        began = time.perf_counter()
        result = await self._conn.copy_records_to_table(table, **kw)
        self.calls.append((f"COPY {table} ({len(kw.get('records', []))} rows)",
                           time.perf_counter() - began))  # fmt: skip
        return result


def _label(query: str) -> str:
    return " ".join(query.split())[:90]


_FOCUS = [
    ("check_phone", "parse: check_phone"),
    ("classify", "emit: classify"),
    ("_row_events", "emit: row columns (names, emails)"),
    ("records", "emit: serialise records (RowEventWriter.records)"),
    ("row_emails", "emit: row_emails"),
    ("row_names", "emit: row_names"),
]


def _python_costs(profile: cProfile.Profile) -> list[tuple[str, float, int]]:
    stats = pstats.Stats(profile)
    found: list[tuple[str, float, int]] = []
    table: dict[tuple[str, int, str], Any] = stats.stats  # type: ignore[attr-defined]
    for function, label in _FOCUS:
        cumulative, calls = 0.0, 0
        for (_file, _line, name), (_cc, nc, _tt, ct, _callers) in table.items():
            if name == function:
                cumulative, calls = max(cumulative, ct), max(calls, nc)
        if calls:
            found.append((label, cumulative, calls))
    return found


async def _replay(
    conn: asyncpg.Connection,
    job: Any,
    first: int,
    last: int,
    namespace: str,
    *,
    explain: bool,
    profile: bool = False,
) -> dict[str, tuple[float, _TimedConnection, cProfile.Profile]]:
    """parse then emit of rows first..last, in one transaction rolled back (emit reads what
    parse stored)."""
    done = {}
    outbox = Outbox("/services/importer", namespace)
    transaction = conn.transaction()
    await transaction.start()
    try:
        await conn.execute("SET LOCAL plan_cache_mode = force_custom_plan")  # as the service
        for step in ("parse", "emit"):
            timed = _TimedConnection(conn, explain=explain)
            profiler = cProfile.Profile()
            began = time.perf_counter()
            if profile:
                profiler.enable()
            if step == "parse":
                await chunk_steps.parse(timed, job, first, last, ChunkWorkers(1))
                await chunk_checks.find_duplicates(timed, job.import_id)
            else:  # the chunk's statuses written again: the ones stored are set aside
                await conn.execute(
                    "DELETE FROM import_row_statuses WHERE import_id = $1"
                    " AND row_number BETWEEN $2 AND $3", job.import_id, first, last,
                )  # fmt: skip
                await chunk_steps.emit(
                    timed,
                    outbox,
                    EventContext(),
                    job,
                    first,
                    last,
                    ChunkWorkers(1),
                    ProducerSettings.load(),
                )
            profiler.disable()
            done[step] = (time.perf_counter() - began, timed, profiler)
            if explain and step == "emit":
                await timed._plan(_CLAIM, (1000,))
    finally:
        await transaction.rollback()
    return done


async def _stage_costs(
    conn: asyncpg.Connection, job: Any, first: int, last: int, bootstrap: str, namespace: str
) -> list[tuple[str, float]]:
    """Microseconds per row of each Python stage of the pipeline, on the chunk's real rows,
    timed one stage at a time without a profiler (the service's own functions)."""
    rows = await conn.fetch(
        "SELECT * FROM import_row_results WHERE import_id = $1 AND row_number BETWEEN $2 AND $3"
        " ORDER BY row_number", job.import_id, first, last,
    )  # fmt: skip
    n = max(len(rows), 1)
    costs: list[tuple[str, float]] = []

    def timed(label: str, work: Any) -> Any:
        began = time.perf_counter()
        result = work()
        costs.append((label, (time.perf_counter() - began) / n * 1e6))
        return result

    timed("parse: check_phone",
          lambda: [check_phone(r["raw_phone"], job.default_region, r["country"]) for r in rows])  # fmt: skip
    timed("raw phonenumbers parse + is_valid_number (same rows)",
          lambda: raw_validation_rate([r["raw_phone"] for r in rows], job.default_region))  # fmt: skip
    csv = await row_frames.rows_csv(conn, job.import_id, first, last, row_frames.EMIT)
    check = chunk_outcomes.ChunkCheck(csv, [r["row_number"] for r in rows],
                                      [r["phone_e164"] for r in rows],
                                      [r["reason_code"] for r in rows], [r["reason"] for r in rows])  # fmt: skip
    writer = RowEventWriter(job.import_id, job.owner_id, ImportSource(job.source),
                            EventContext(), "/services/importer", ProducerSettings.load())  # fmt: skip
    stored = timed(
        "emit: the rows' CSV read (workers)", lambda: row_frames.rows_frame(csv, row_frames.EMIT)
    )
    table = timed("emit: row columns (names, emails)",
                  lambda: chunk_outcomes._row_events(
                      stored, check, [r["status"] for r in rows], list(check.reason_codes),
                      list(check.reasons), [r["matched_user_id"] for r in rows]))  # fmt: skip
    packed = timed("emit: ImportRowValidated record batches (values, batches, zstd; workers)",
                   lambda: writer.records(table))  # fmt: skip
    row = {"value": bulk.joined([packed]).data}
    stored = timed("relay: the bulk row's batches apart", lambda: bulk.stored_batches(row["value"]))
    assert stored is not None
    topic = f"{namespace}.bench.scratch"
    await ensure_topics(bootstrap, [TopicSpec(topic, partitions=8)])
    producer = make_producer(bootstrap, "bench-relay-probe")
    await producer.start()
    try:
        began = time.perf_counter()
        futures = [await producer.send_batch(PrebuiltBatch(batch), topic, partition=0)
                   for batch in stored]  # fmt: skip
        costs.append(("relay: send_batch of each prebuilt batch (as OutboxRelay._send)",
                      (time.perf_counter() - began) / n * 1e6))  # fmt: skip
        began = time.perf_counter()
        await asyncio.gather(*futures)
        costs.append(("relay: awaiting the acks after the sends (CRC, request)",
                      (time.perf_counter() - began) / n * 1e6))  # fmt: skip
    finally:
        await producer.stop()
    return costs


async def explain_chunk(
    dsn: str, schema: str, import_id: str, chunk_rows: int, bootstrap: str
) -> None:
    """Replay the middle chunk of a finished import: timings per call and per Python function,
    then the query plans."""
    conn = await asyncpg.connect(dsn, server_settings={"search_path": schema})
    try:
        job = await imports.get(conn, UUID(import_id))
        assert job is not None
        total = job.total_rows or 0
        first = 2 + (total // chunk_rows // 2) * chunk_rows
        last = min(first + chunk_rows - 1, total + 1)
        namespace = await conn.fetchval("SELECT split_part(topic, '.', 1) FROM outbox LIMIT 1")
        costs = await _stage_costs(conn, job, first, last, bootstrap, namespace or "bench")
        print(f"\nPython cost per row of each stage, on rows {first}..{last} (no profiler):")
        for label, micros in costs:
            print(f"  {micros:8.1f} us/row  {label}")
        plain = await _replay(conn, job, first, last, namespace or "", explain=False)
        print(f"\nOne chunk (rows {first}..{last}) replayed with the service's code, rolled back:")
        for step, (seconds, calls, _profile) in plain.items():
            database = sum(s for _, s in calls.calls)
            print(f"  {step}: {seconds * 1000:.0f} ms, of which awaiting Postgres "
                  f"{database * 1000:.0f} ms, Python {(seconds - database) * 1000:.0f} ms")  # fmt: skip
            for label, spent in calls.calls:
                print(f"    {spent * 1000:7.1f} ms  {label}")
        timed = await _replay(conn, job, first, last, namespace or "", explain=False, profile=True)
        print("\nThe same under cProfile (its overhead inflates the Python side):")
        for step, (seconds, calls, profile) in timed.items():
            database = sum(s for _, s in calls.calls)
            print(f"  {step}: {seconds * 1000:.0f} ms, of which awaiting Postgres "
                  f"{database * 1000:.0f} ms, Python {(seconds - database) * 1000:.0f} ms")  # fmt: skip
            for label, spent, count in _python_costs(profile):
                print(f"    {spent * 1000:7.1f} ms  python {label} ({count} calls, under cProfile)")
        plans = await _replay(conn, job, first, last, namespace or "", explain=True)
        print("\nEXPLAIN (ANALYZE, BUFFERS) of the chunk's queries (and the relay's claim):")
        for step, (_seconds, calls, _profile) in plans.items():
            for label, plan in calls.plans:
                lines = [f"    {p[:160]}{'...' if len(p) > 160 else ''}" for p in plan.splitlines()]
                print(f"\n  [{step}] {label}\n" + "\n".join(lines))
    finally:
        await conn.close()
