"""The importer bench's own Postgres and Kafka, and per scenario: a fresh schema, a Kafka
namespace of its own and one or more `importer-service` processes sharing both (so they share
the consumer groups and the work items on `importer.work`). Everything started here is
stopped on exit, also on errors and Ctrl-C.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import kit
from aiokafka.admin import AIOKafkaAdminClient
from contacts_testing.infra import LocalPostgres
from contacts_testing.service_process import ServiceProcess
from importer_kafka import KAFKA_PORT, bench_kafka, kafka_pids, log_offsets, wait_for_groups
from kit import BenchHome, fresh_schema, home_in_use, log, quietly, start_together, started

STATE_DIR = Path("/var/tmp/contacts-platform-bench-importer")  # noqa: S108 - the bench's own
PG_PORT = 25832


@dataclass(frozen=True)
class Infra(kit.Infra):
    """The bench's Postgres and its Kafka: one broker or the three-node cluster."""

    def kafka_pids(self) -> list[int]:
        """Each broker's pid (one, or three on the cluster)."""
        return kafka_pids(self.kafka)


@dataclass(frozen=True)
class Scenario:
    name: str
    schema: str
    namespace: str
    services: tuple[ServiceProcess, ...]

    def pids(self) -> list[int]:
        return [s.process.pid for s in self.services if s.process is not None]

    @property
    def url(self) -> str:
        return self.services[0].url

    def topic(self, name: str) -> str:
        return f"{self.namespace}.{name}"


PG_LOG = STATE_DIR / "logs" / "postgres.log"
SLOW_PLAN_MS = 150  # auto_explain logs the plan of every statement slower than this


async def _preload(dsn: str, on: bool) -> bool:
    """pg_stat_statements and auto_explain (plans of slow statements, as run, in the log) on or
    off; True when shared_preload_libraries changed (Postgres must restart)."""
    libraries = "pg_stat_statements,auto_explain" if on else ""
    conn = await asyncpg.connect(dsn)
    try:
        current = await conn.fetchval("SHOW shared_preload_libraries")
        if current == libraries:
            return False
        if "auto_explain" in current:
            await conn.execute("ALTER SYSTEM RESET auto_explain.log_min_duration")
        if on:
            listed = ", ".join(f"'{name}'" for name in libraries.split(","))
            await conn.execute(f"ALTER SYSTEM SET shared_preload_libraries = {listed}")
        else:
            await conn.execute("ALTER SYSTEM RESET shared_preload_libraries")
        return True
    finally:
        await conn.close()


async def _slow_plan_threshold(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f"ALTER SYSTEM SET auto_explain.log_min_duration = {SLOW_PLAN_MS}")
        await conn.execute("SELECT pg_reload_conf()")
    finally:
        await conn.close()


def pg_log_size() -> int:
    return PG_LOG.stat().st_size if PG_LOG.exists() else 0


def slow_plans(offset: int) -> list[tuple[str, int, float, str]]:
    """auto_explain's entries in the Postgres log since `offset`: (query, count, total ms, the
    slowest one's plan), slowest first."""
    with PG_LOG.open("rb") as file:
        file.seek(offset)
        lines = file.read().decode(errors="replace").splitlines()
    found: dict[str, list[Any]] = {}
    index = 0
    while index < len(lines):
        match = _DURATION.search(lines[index])
        index += 1
        if not match:
            continue
        block = []
        while index < len(lines) and lines[index].startswith(("\t", " ")):
            block.append(lines[index].strip())
            index += 1
        text = next((b for b in block if b.startswith("Query Text:")), "?")
        query = " ".join(text.removeprefix("Query Text:").split())[:100]
        plan = "\n".join(b for b in block if not b.startswith("Query Text:"))
        ms = float(match.group(1))
        entry = found.setdefault(query, [0, 0.0, 0.0, ""])
        entry[0] += 1
        entry[1] += ms
        if ms > entry[2]:
            entry[2], entry[3] = ms, plan
    ranked = sorted(found.items(), key=lambda kv: -kv[1][1])
    return [(query, count, total, plan) for query, (count, total, _, plan) in ranked]


@contextlib.contextmanager
def running_infra(
    pg_stats: bool = False, brokers: int = 1, home: BenchHome | None = None
) -> Iterator[Infra]:
    """Postgres and Kafka (one broker or the three-node cluster) on the bench's reserved ports
    (both at once: Kafka is the slower); each one stopped at exit even if the other failed.
    `home`: another bench's own ports and state, so that it never shares (nor stops) these."""
    home = home or BenchHome(STATE_DIR, PG_PORT, KAFKA_PORT)
    infra = Infra(
        LocalPostgres(port=home.pg_port, state_dir=home.state_dir),
        bench_kafka(brokers, home.state_dir, home.kafka_port),
    )
    with home_in_use(home), contextlib.ExitStack() as cleanup:
        log(f"starting postgres :{home.pg_port} and kafka {infra.kafka.bootstrap} "
            f"(state {home.state_dir})")  # fmt: skip
        start_together(cleanup, infra.postgres, infra.kafka)
        # pg_stat_statements (--pg-stats) in the bench's own cluster only: restart if needed
        if asyncio.run(_preload(infra.dsn, pg_stats)):
            log(f"restarting postgres with pg_stat_statements {'on' if pg_stats else 'off'}")
            infra.postgres.stop()
            infra.postgres.start()
        if pg_stats:
            asyncio.run(_slow_plan_threshold(infra.dsn))
        yield infra


_DURATION = re.compile(r"LOG:  duration: ([0-9.]+) ms  plan:")


async def _delete_topics(bootstrap: str, namespace: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=30_000)
    await admin.start()
    try:
        mine = [t for t in await admin.list_topics() if t.startswith(f"{namespace}.")]
        if mine:
            await admin.delete_topics(mine, timeout_ms=30_000)
    finally:
        await admin.close()


@contextlib.contextmanager
def running_scenario(
    infra: Infra, name: str, instances: int, env: dict[str, str]
) -> Iterator[Scenario]:
    """A fresh schema and namespace, and `instances` importer processes on them (/ready, the
    consumer groups stable); the processes, the schema and the topics are gone on exit."""
    stamp = time.strftime("%H%M%S")
    schema = f"bench_importer_{name}_{stamp}"
    namespace = f"bi-{name}-{stamp}".replace("_", "-").lower()
    with contextlib.ExitStack() as cleanup:
        offsets = log_offsets(infra.kafka)
        fresh_schema(cleanup, infra.dsn, schema)
        cleanup.callback(
            quietly,
            f"topics {namespace}.*",
            lambda: asyncio.run(_delete_topics(infra.kafka.bootstrap, namespace)),
        )
        settings = {
            "DATABASE_URL": infra.dsn,
            "DB_SCHEMA": schema,
            "KAFKA_BOOTSTRAP_SERVERS": infra.kafka.bootstrap,
            **infra.kafka.topic_env,
            "KAFKA_NAMESPACE": namespace,
            "FALLBACK_REGION": "FR",
            **env,
        }
        logs = infra.postgres.state_dir / "logs"
        services = [  # one after the other: the first one migrates
            started(
                cleanup,
                "importer",
                settings,
                logs / f"importer-{name}-{stamp}-{n}.log",
                f"importer {n}",
                workers=1,
            )
            for n in range(instances)
        ]
        wait_for_groups(infra.kafka, namespace, instances, offsets)
        log(f"scenario {name}: schema {schema}, namespace {namespace}, {instances} importer(s)")
        yield Scenario(name, schema, namespace, tuple(services))
