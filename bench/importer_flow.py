"""One import through the importer's real HTTP API, as a client would drive it, timed.

Seeding first: the owner, the registered users, the owner's contacts and pending invitations
are published as the directory, contacts and invitations services would (`UserRegistered`,
`ContactAdded`, `InvitationSent`), and the bench waits until the importer's projections hold
them. Then: upload (`POST /v1/imports/files`), mapping (`PUT .../mapping`), wait `extracted`,
`POST .../start`, and poll `GET /v1/imports/{id}` until `completed`, while an audit consumer
reads `importer.imports` until every event of the import is there.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import asyncpg
import httpx
from contacts_events import ContactAdded, InvitationSent, RowStatus, UserRegistered
from contacts_events.catalog.contacts import ContactSource
from contacts_events.catalog.values import InvitationChannel
from contacts_events.connect_id import generate
from contacts_servicekit.auth import mint_token
from contacts_servicekit.settings import AuthSettings
from contacts_testing.publisher import EventPublisher
from importer_files import MAPPING, ContactList, Population
from importer_sizes import Footprint, footprint, wal_lsn
from importer_stack import Infra, Scenario, pg_log_size, slow_plans
from importer_watch import AuditConsumer, CpuSnapshot, MemoryWatch, TreeWatch, reset_peak
from kit import log

POLL_SECONDS = 0.25
SEED_SECONDS = 180
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class Profiler(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...


def bearer(user_id: object) -> dict[str, str]:
    auth = AuthSettings()
    token = mint_token(
        str(user_id), secret=auth.jwt_secret.get_secret_value(), issuer=auth.jwt_issuer,
        audience=auth.jwt_audience, ttl_seconds=4 * 3600,
    )  # fmt: skip
    return {"Authorization": f"Bearer {token}"}


async def seed(infra: Infra, scenario: Scenario, population: Population) -> None:
    """Publish who exists, and wait for the importer's projections to hold all of it."""
    owner = population.owner_id
    users = [
        UserRegistered(user_id=owner, connect_id=generate(), display_name="Bench Owner",
                       phone_e164=population.owner_phone)
    ]  # fmt: skip
    for n in range(population.users):
        user_id, phone = population.user(n)
        users.append(UserRegistered(user_id=user_id, connect_id=generate(),
                                    display_name=f"User {n}", phone_e164=phone))  # fmt: skip
    contacts = [
        ContactAdded(owner_id=owner, contact_user_id=population.user(n)[0],
                     source=ContactSource.CONNECT_ID)
        for n in range(population.contacts)
    ]  # fmt: skip
    expires = datetime.now(UTC) + timedelta(days=30)
    invitations = [
        InvitationSent(invitation_id=population.invitation(n)[0], inviter_id=owner,
                       channel=InvitationChannel.SMS, phone_e164=population.invitation(n)[1],
                       expires_at=expires)
        for n in range(population.invited)
    ]  # fmt: skip
    async with EventPublisher(infra.kafka.bootstrap, scenario.namespace, "/bench") as events:
        await events.publish(*users, *contacts, *invitations)
    wanted = (len(users), len(contacts), len(invitations))
    conn = await asyncpg.connect(infra.dsn, server_settings={"search_path": scenario.schema})
    try:
        deadline = time.monotonic() + SEED_SECONDS
        found: tuple[int, ...] = ()
        while time.monotonic() < deadline:
            row = await conn.fetchrow(
                "SELECT (SELECT count(*) FROM registered_users) AS users,"
                " (SELECT count(*) FROM owner_contacts) AS contacts,"
                " (SELECT count(*) FROM pending_invitations) AS invitations"
            )
            found = tuple(row.values())
            if found == wanted:
                log(f"seeded: {wanted[0]} users (owner included), {wanted[1]} contacts, "
                    f"{wanted[2]} pending invitations")  # fmt: skip
                return
            await asyncio.sleep(0.5)
        raise RuntimeError(f"projections hold {found}, expected {wanted}")
    finally:
        await conn.close()


@dataclass
class ImportRun:
    """What one import took, and what it produced."""

    import_id: str = ""
    upload_s: float = 0.0  # POST /v1/imports/files (upload, format check, column guess)
    extract_s: float = 0.0  # PUT mapping until `extracted`
    parse_s: float | None = None  # start until progress 0.5 (every chunk parsed)
    statuses_s: float | None = None  # start until `completed` (server's completed_at)
    statuses_polled_s: float | None = None  # start until a poll saw `completed`
    kafka_s: float | None = None  # start until the last ImportRowValidated was produced
    audit_s: float | None = None  # start until the audit consumer had read rows + 2 events
    job: dict[str, Any] = field(default_factory=dict)
    progress: list[tuple[float, float]] = field(default_factory=list)
    extract_peak_kb: dict[int, int] = field(default_factory=dict)
    validate_peak_kb: dict[int, int] = field(default_factory=dict)
    extract_cpu: CpuSnapshot | None = None
    validate_cpu: CpuSnapshot | None = None
    completed_cpu: CpuSnapshot | None = None  # start until `completed` seen, before the audit
    footprint: Footprint | None = None  # WAL from the upload on, the tables once completed
    audit: AuditConsumer | None = None
    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    postgres_cpu: dict[str, float] = field(default_factory=dict)  # by kind of process
    importer_cpu: dict[str, float] = field(default_factory=dict)  # the same, of all importers
    statements: list[tuple[str, int, float, float]] = field(default_factory=list)
    slow_plans: list[tuple[str, int, float, str]] = field(default_factory=list)


async def _poll(
    http: httpx.AsyncClient, path: str, headers: dict[str, str], until: set[str], deadline: float,
    run: ImportRun | None = None, started: float = 0.0,
) -> dict[str, Any]:  # fmt: skip
    job: dict[str, Any] = {}
    while time.monotonic() < deadline:
        response = await http.get(path, headers=headers)
        response.raise_for_status()
        job = response.json()
        if run is not None:
            now = time.time() - started
            run.progress.append((now, job["progress"]))
            if run.parse_s is None and job["progress"] >= 0.5:
                run.parse_s = now
        if job["status"] in until:
            return job
        await asyncio.sleep(POLL_SECONDS)
    raise TimeoutError(f"{path} still {job.get('status')} ({job.get('progress')}) at the deadline")


async def run_import(
    infra: Infra, scenario: Scenario, contacts: ContactList, population: Population,
    deadline: float, profiler: Profiler | None = None, pg_stats: bool = False,
    live_audit: bool = False,
) -> ImportRun:  # fmt: skip
    run = ImportRun()
    me = bearer(population.owner_id)
    fmt = contacts.path.suffix.lstrip(".")
    pids, postmaster, kafka = scenario.pids(), infra.postmaster_pid(), infra.kafka_pids()
    memory = MemoryWatch(pids)
    stop_memory = asyncio.Event()
    memory_task = asyncio.create_task(memory.run(stop_memory))
    audit_task: asyncio.Task[None] | None = None
    timeout = httpx.Timeout(600, connect=10)
    try:
        async with httpx.AsyncClient(base_url=scenario.url, timeout=timeout) as http:
            upload_lsn = await wal_lsn(infra.dsn)
            before = CpuSnapshot.take(pids, postmaster, kafka)
            began = time.monotonic()
            with contacts.path.open("rb") as file:
                response = await http.post(
                    "/v1/imports/files", headers=me,
                    files={"file": (contacts.path.name, file, MIME[fmt])},
                )  # fmt: skip
            response.raise_for_status()
            uploaded = response.json()
            run.upload_s = time.monotonic() - began
            run.import_id = uploaded["import_id"]
            path = f"/v1/imports/{run.import_id}"
            log(f"uploaded {contacts.path.name} in {run.upload_s:.1f} s: import {run.import_id},"
                f" headers {uploaded['headers']}")  # fmt: skip
            run.audit = AuditConsumer(
                infra.kafka.bootstrap, scenario.topic("importer.imports"), run.import_id,
                contacts.rows,
            )  # fmt: skip
            if live_audit:
                audit_task = asyncio.create_task(run.audit.run(deadline))
            began = time.monotonic()
            response = await http.put(f"{path}/mapping", headers=me, json=MAPPING)
            response.raise_for_status()
            job = await _poll(http, path, me, {"extracted", "failed"}, deadline)
            run.extract_s = time.monotonic() - began
            if job["status"] != "extracted" or job["total_rows"] != contacts.rows:
                raise RuntimeError(f"extraction ended {job['status']}: {job}")
            log(f"extracted {job['total_rows']} rows in {run.extract_s:.1f} s")
            run.extract_cpu = before.until(CpuSnapshot.take(pids, postmaster, kafka))
            run.extract_peak_kb = memory.peaks_kb()
            memory.polled_kb.clear()
            for pid in pids:
                reset_peak(pid)

            if profiler is not None:
                profiler.start()
            if pg_stats:
                await _reset_statements(infra.dsn)
                log_offset = pg_log_size()
            memory.postgres = TreeWatch.for_postgres(postmaster)
            memory.importers = TreeWatch.for_importers(pids)
            memory.postgres.sample()
            memory.importers.sample()
            before = CpuSnapshot.take(pids, postmaster, kafka)
            started = time.time()
            response = await http.post(f"{path}/start", headers=me)
            response.raise_for_status()
            run.job = await _poll(http, path, me, {"completed", "failed"}, deadline, run, started)
            run.statuses_polled_s = time.time() - started
            if run.job["completed_at"]:
                completed = datetime.fromisoformat(run.job["completed_at"]).timestamp()
                run.statuses_s = completed - started
            log(f"import {run.job['status']} after {run.statuses_polled_s:.1f} s: "
                f"{run.job['counts']}")  # fmt: skip
            run.completed_cpu = before.until(CpuSnapshot.take(pids, postmaster, kafka))
            if audit_task is None:  # read the events now, not on the cores under measurement
                audit_task = asyncio.create_task(run.audit.run(deadline))
            await asyncio.wait_for(audit_task, max(1.0, deadline - time.monotonic()))
            run.validate_cpu = before.until(CpuSnapshot.take(pids, postmaster, kafka))
            run.validate_peak_kb = memory.peaks_kb()
            run.footprint = await footprint(infra.dsn, scenario.schema, upload_lsn)
            for tree in (memory.postgres, memory.importers):
                tree.sample()
            run.postgres_cpu = memory.postgres.by_kind()
            run.importer_cpu = memory.importers.by_kind()
            memory.postgres = memory.importers = None
            if pg_stats:
                run.statements = await _top_statements(infra.dsn, scenario.schema)
                run.slow_plans = slow_plans(log_offset)
            if profiler is not None:
                profiler.stop()
                profiler = None
            audit = run.audit
            if audit.done_at is not None:
                run.audit_s = audit.done_at - started
            if audit.last_row_timestamp_ms:
                run.kafka_s = audit.last_row_timestamp_ms / 1000 - started
            log(f"audit consumer: {audit.records} records of the import, "
                f"{audit.distinct_rows} distinct rows, done={audit.done}")  # fmt: skip
    finally:
        if profiler is not None:
            profiler.stop()
        stop_memory.set()
        await memory_task
        if audit_task is not None and not audit_task.done():
            audit_task.cancel()
    run.checks = await _checks(infra, scenario, contacts, run)
    return run


async def _reset_statements(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        await conn.execute("SELECT pg_stat_statements_reset()")
    finally:
        await conn.close()


async def _top_statements(dsn: str, schema: str) -> list[tuple[str, int, float, float]]:
    """(query, calls, total ms, rows) of the statements that took the most time since the
    reset (pg_stat_statements: Postgres's own accounting of every query)."""
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT query, calls, total_exec_time AS ms, rows FROM pg_stat_statements"
            " ORDER BY total_exec_time DESC LIMIT 15"
        )
    finally:
        await conn.close()
    return [(" ".join(r["query"].split())[:110], r["calls"], r["ms"], r["rows"]) for r in rows]


async def _checks(
    infra: Infra, scenario: Scenario, contacts: ContactList, run: ImportRun
) -> list[tuple[str, bool, str]]:
    conn = await asyncpg.connect(infra.dsn, server_settings={"search_path": scenario.schema})
    try:
        row = await conn.fetchrow(
            "SELECT count(*) FILTER (WHERE status IS NULL) AS nulls, count(*) AS total,"
            " count(DISTINCT row_number) AS distinct_rows FROM import_row_results WHERE import_id = $1",
            run.import_id,
        )
        stored = Counter(
            {
                r["status"]: r["n"]
                for r in await conn.fetch(
                    "SELECT status, count(*) AS n FROM import_row_statuses WHERE import_id = $1"
                    " GROUP BY status",
                    run.import_id,
                )
            }
        )
    finally:
        await conn.close()
    counts = run.job.get("counts") or {}
    expected = {status.value: contacts.expected.get(status.value, 0) for status in RowStatus}
    audit = run.audit
    assert audit is not None
    events = {status.value: audit.statuses.get(status.value, 0) for status in RowStatus}
    rows = contacts.rows
    return [
        ("completed", run.job.get("status") == "completed", str(run.job.get("status"))),
        ("every row has one status (NULL statuses = 0)",
         row["nulls"] == 0 and row["total"] == rows == row["distinct_rows"],
         f"nulls={row['nulls']} rows={row['total']} distinct={row['distinct_rows']}"),
        ("counts add up to the rows", sum(counts.values()) == rows == run.job.get("total_rows"),
         f"sum={sum(counts.values())} total_rows={run.job.get('total_rows')}"),
        ("stored statuses = counts", {k: stored.get(k, 0) for k in counts} == counts,
         str(dict(stored))),
        ("counts = the statuses the generator meant", counts == expected,
         f"expected={expected}"),
        ("events = rows (distinct row numbers), started + completed",
         audit.distinct_rows == rows == audit.row_events and audit.out_of_range == 0
         and audit.started == 1 and audit.completed == 1,
         f"row events={audit.row_events} distinct={audit.distinct_rows} "
         f"started={audit.started} completed={audit.completed} out of range={audit.out_of_range}"),
        ("event statuses = counts", events == counts, str(events)),
    ]  # fmt: skip
