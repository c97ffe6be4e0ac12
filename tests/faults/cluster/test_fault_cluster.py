"""Broker faults on a three-node Kafka cluster (replication 3, min ISR 2) during the bulk import
with invitations: one broker SIGKILLed and the active controller SIGKILLed (the import keeps
going while it is down), and two of three SIGKILLed (no acknowledgements: every API keeps
accepting work into its outbox, and all of it flows once one broker returns). Nothing lost,
nothing doubled (the checks of FaultCase.run); the longest stall is written to the report."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import asyncpg
import pytest
from contacts_testing.kafka_cluster import NODES, LocalKafkaCluster
from contacts_testing.local_platform import SERVICE_NAMES

from ..conftest import QUICK, block
from ..outage_work import accept_work_during_outage, prepare_outage_work
from .conftest import CLUSTER_SIZES
from .progress import Counter, Progress

pytestmark = [pytest.mark.fault, pytest.mark.e2e]  # both sizes `slow` (see CLUSTER_SIZES)


def cluster_of(case) -> LocalKafkaCluster:
    cluster = case.platform.kafka
    assert isinstance(cluster, LocalKafkaCluster)
    return cluster


def kafka_progress(case) -> dict[str, Counter]:
    """What the audit consumer has read: validated rows, and events of any kind."""
    audit = case.audit

    async def rows_validated() -> int:
        return len(audit.summaries)

    async def events() -> int:
        return sum(audit.seen.values())

    return {"rows_validated_on_kafka": rows_validated, "events_on_kafka": events}


async def nodes_down(case, nodes: list[int], back: list[int], meanwhile: Callable[[], Awaitable[None]], **extra: Counter) -> None:  # fmt: skip
    """SIGKILL `nodes`, do `meanwhile`, then start `back` again. Progress is watched from the
    kill to the end of the bulk run; the events that reached Kafka meanwhile are noted."""
    goals = {"rows_validated_on_kafka": case.rows}  # then the import is done
    cluster, progress = cluster_of(case), Progress({**kafka_progress(case), **extra}, goals)
    watching = asyncio.create_task(progress.watch(case.bulk_done))
    for node in nodes:
        await asyncio.to_thread(cluster.kill_node, node)
    before = sum(case.audit.seen.values())
    case.notes["killed_nodes"] = nodes
    await meanwhile()
    case.notes["events_on_kafka_while_down"] = sum(case.audit.seen.values()) - before
    started = time.monotonic()
    for node in back:
        await asyncio.to_thread(cluster.start_node, node)
    await asyncio.to_thread(case.back_up, started)
    await watching
    case.notes.update(progress.summary())


async def one_node_down_mid_import(case, node: int) -> None:
    """The bulk run with `node` SIGKILLed once the import is under way and started again 20 s
    (30 s with 200,000 rows) later: Kafka must take events meanwhile. The quorum's leader then
    is noted."""
    cluster = cluster_of(case)

    async def down() -> None:  # (with two of three down there is no quorum to ask)
        await asyncio.sleep(20 if case.rows == QUICK else 30)
        case.notes["controller_while_down"] = await asyncio.to_thread(cluster.active_controller)

    async def kill() -> None:
        case.in_background(nodes_down(case, [node], back=[node], meanwhile=down))

    await case.run(on_import=kill)
    assert case.notes["events_on_kafka_while_down"] > 0, "nothing reached Kafka meanwhile"


@pytest.mark.parametrize("rows", CLUSTER_SIZES)
async def test_one_broker_killed_mid_import_and_restarted_later(fault_case, rows):
    case = fault_case(rows, block(rows, 31))
    controller = await asyncio.to_thread(cluster_of(case).active_controller)
    case.notes["controller_before"] = controller
    await one_node_down_mid_import(case, next(node for node in NODES if node != controller))


@pytest.mark.parametrize("rows", CLUSTER_SIZES)
async def test_active_controller_killed_mid_import_and_restarted_later(fault_case, rows):
    case = fault_case(rows, block(rows, 32))
    controller = await asyncio.to_thread(cluster_of(case).active_controller)
    case.notes["controller_before"] = controller
    await one_node_down_mid_import(case, controller)
    assert case.notes["controller_while_down"] != controller, "no new controller was elected"


@pytest.mark.parametrize("rows", CLUSTER_SIZES)
async def test_two_of_three_brokers_killed_while_the_apis_accept_work(fault_case, rows):
    case = fault_case(rows, block(rows, 33))
    work = await prepare_outage_work(case.platform, case.block)
    admin = await asyncpg.create_pool(case.platform.admin_url, min_size=1, max_size=2)

    async def backlog() -> int:
        total = " + ".join(
            f"(SELECT count(*) FROM {s}.outbox WHERE sent_at IS NULL)" for s in SERVICE_NAMES
        )
        return int(await admin.fetchval(f"SELECT {total}"))

    async def accept_work() -> None:
        await asyncio.sleep(5)  # the audit has read what Kafka acknowledged before the kill
        read = sum(case.audit.seen.values())
        await accept_work_during_outage(case, work, 15 if rows == QUICK else 55)
        case.notes["acknowledged_while_two_down"] = sum(case.audit.seen.values()) - read
        case.notes["outbox_backlog_at_the_end"] = dict(work.backlog)
        ready = {name: asyncio.to_thread(case.platform.ready, name) for name in SERVICE_NAMES}
        case.notes["ready_while_down"] = dict(zip(ready, await asyncio.gather(*ready.values()), strict=True))  # fmt: skip

    async def kill_two_start_one() -> None:
        down = nodes_down(case, [1, 2], back=[1], meanwhile=accept_work, outbox_backlog=backlog)
        case.in_background(down)

    try:
        await case.run(on_import=kill_two_start_one)
        await work.finished(case)
        assert case.notes["acknowledged_while_two_down"] == 0, "Kafka took writes without 2 ISR"
    finally:
        await admin.close()
