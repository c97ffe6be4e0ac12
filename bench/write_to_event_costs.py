"""What the loaded phase of the write-to-event bench cost, per second of it: the CPU of each
service and of Postgres, the delivery worker's claims (each a transaction, whether it found
any) and the cluster's commits. A wake that answers faster must not pay for it in these."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import asyncpg
import httpx
from contacts_testing.service_process import ServiceProcess
from invitations_stack import Scenario
from measure import postgres_cpu, process_tree_cpu

CLAIMS = "invitation_delivery_claims_total"


@dataclass(frozen=True)
class Costs:
    at: float  # time.monotonic()
    cpu: dict[str, float]  # CPU seconds so far: "invitations", "contacts", "postgres"
    claims: float | None  # None when the service does not count them (before the counter)
    commits: int


def service_cpu(service: ServiceProcess) -> float:
    assert service.process is not None
    return process_tree_cpu(service.process.pid)


def claims_of(url: str) -> float | None:
    for line in httpx.get(f"{url}/metrics", timeout=10).text.splitlines():
        if line.startswith(f"{CLAIMS} "):
            return float(line.split()[1])
    return None


async def commits_of(dsn: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        query = "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        return int(await conn.fetchval(query))
    finally:
        await conn.close()


def costs(invitations: Scenario, contacts: ServiceProcess) -> Costs:
    cpu = {
        "invitations": service_cpu(invitations.service),
        "contacts": service_cpu(contacts),
        "postgres": postgres_cpu(invitations.postmaster),
    }
    claims = claims_of(invitations.service.url)
    return Costs(time.monotonic(), cpu, claims, asyncio.run(commits_of(invitations.dsn)))


def print_costs(before: Costs, after: Costs, writes: int) -> None:
    seconds = after.at - before.at
    shares = ", ".join(
        f"{name} {(after.cpu[name] - before.cpu[name]) / seconds:.2f}"
        f" ({(after.cpu[name] - before.cpu[name]) * 1000 / writes:.2f} ms a write)"
        for name in after.cpu
    )
    print(f"loaded phase, {seconds:.1f} s, {writes} writes: CPU (cores) {shares}")
    claims = (
        f"{(after.claims - before.claims) / seconds:.1f}/s"
        if after.claims is not None and before.claims is not None
        else "not counted by this code"
    )
    commits = (after.commits - before.commits) / seconds
    print(f"delivery claims {claims}; Postgres commits {commits:.0f}/s (both services)")
