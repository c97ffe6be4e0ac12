"""The importer bench's Kafka: one broker (:29692, controller :29693) or, with `--brokers 3`,
the three-node KRaft cluster of deploy/local/kafka-cluster.sh (clients :29694-29696,
controllers :29697-29699, topics with 3 copies and min ISR 2), each in a state directory of
its own; and what the bench reads from it: the brokers' pids (for their CPU) and their logs
(for the consumer groups' membership).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from contacts_testing.infra import LocalKafka
from contacts_testing.kafka_cluster import LocalKafkaCluster
from measure import process_cpu

KAFKA_PORT = 29692  # and 29693 for its controller
CLUSTER_PORT = 29694  # clients 29694-29696, controllers 29697-29699
GROUP_SECONDS = 90
GROUPS = ("importer.workers", "importer.express", "importer.projections")
_STABILIZED = re.compile(r"Stabilized group (\S+) generation (\d+) with (\d+) members")


def bench_kafka(brokers: int, state_dir: Path, port: int = KAFKA_PORT) -> LocalKafka:
    """One broker in `state_dir` (on `port`, its controller on the next), or the three-node
    cluster in `state_dir`/cluster (its own data and logs, so the single broker's state is
    left as it is)."""
    if brokers == 1:
        return LocalKafka(port, state_dir)
    if brokers == 3:
        return LocalKafkaCluster(CLUSTER_PORT, state_dir / "cluster")
    raise ValueError(f"brokers: 1 or 3, not {brokers}")


def broker_count(kafka: LocalKafka) -> int:
    return 3 if isinstance(kafka, LocalKafkaCluster) else 1


def kafka_pids(kafka: LocalKafka) -> list[int]:
    """Each broker's pid, node by node (kafka/kafka.pid, or kafka/node-N/kafka.pid)."""
    files = sorted((kafka.state_dir / "kafka").rglob("kafka.pid"))
    return [int(path.read_text().strip()) for path in files]


def idle_brokers_cores(pids: list[int], measure: Callable[[], object]) -> float:
    """Cores the brokers use while `measure` runs beside them with no import going on: their
    own upkeep (KRaft heartbeats, followers' and idle consumers' fetches), which every figure
    per event includes for the length of an import."""
    began, before = time.monotonic(), sum(process_cpu(pid) for pid in pids)
    measure()
    return (sum(process_cpu(pid) for pid in pids) - before) / (time.monotonic() - began)


def kafka_logs(kafka: LocalKafka) -> list[Path]:
    """The brokers' own logs: kafka.log, or kafka-1.log ... kafka-3.log (not kafka-format)."""
    logs = kafka.state_dir / "logs"
    return sorted(p for p in logs.glob("kafka*.log") if re.fullmatch(r"kafka(-\d)?\.log", p.name))


def log_offsets(kafka: LocalKafka) -> dict[Path, int]:
    """Where each broker's log ends now (what comes after belongs to the next scenario)."""
    return {path: path.stat().st_size for path in kafka_logs(kafka)}


def _stabilized_since(offsets: dict[Path, int], kafka: LocalKafka) -> list[tuple[str, str, str]]:
    found = []
    for path in kafka_logs(kafka):  # the group's coordinator may be any of the brokers
        with path.open("rb") as file:
            file.seek(offsets.get(path, 0))
            found += _STABILIZED.findall(file.read().decode(errors="replace"))
    return found


def wait_for_groups(
    kafka: LocalKafka, namespace: str, instances: int, offsets: dict[Path, int]
) -> None:
    """Every instance is a member of every consumer group of GROUPS: the coordinator's own log (written
    since `offsets`) says each group last stabilised with `instances` members. (aiokafka's
    DescribeGroups cannot decode this broker's answer.)"""
    groups = {f"{namespace}.{g}" for g in GROUPS}
    deadline = time.monotonic() + GROUP_SECONDS
    members: dict[str, int] = {}
    while time.monotonic() < deadline:
        for group, _generation, count in _stabilized_since(offsets, kafka):
            if group in groups:
                members[group] = int(count)
        if all(members.get(g) == instances for g in groups):
            time.sleep(1)  # the members receive their assignment right after
            return
        time.sleep(0.5)
    raise RuntimeError(f"consumer groups not stable with {instances} members: {members}")
