"""A three-node Kafka cluster (deploy/local/kafka-cluster.sh) for tests that opt into it.

cluster = LocalKafkaCluster(CLUSTER_TEST_PORT, TEST_STATE_DIR / "cluster")
cluster.start(fresh=True)      # brokers on ports 29212-29214, controllers on 29215-29217
cluster.kill_node(2); cluster.start_node(2)
cluster.active_controller()    # the node whose controller leads the quorum now
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass

from contacts_testing.infra import LOCAL, SINGLE_BROKER_TOPICS, LocalKafka

CLUSTER_TEST_PORT = 29212
NODES = (1, 2, 3)
CLUSTER_TOPICS = {
    **SINGLE_BROKER_TOPICS,
    "KAFKA_TOPIC_REPLICATION_FACTOR": "3",
    "KAFKA_TOPIC_MIN_INSYNC_REPLICAS": "2",
}
"""The `KAFKA_TOPIC_*` settings of services on the cluster: the production 3 / 2."""


@dataclass
class LocalKafkaCluster(LocalKafka):
    """Three combined broker+controller nodes: clients on port..port+2, controllers on
    port+3..port+5, data under `state_dir`/kafka/node-N. `start`, `running` (every node),
    `stop` and `kill` act on all three."""

    def __post_init__(self) -> None:
        self.env = {
            **os.environ,
            "KAFKA_BROKERS": "3",
            "KAFKA_PORT": str(self.port),
            "CONTACTS_STATE_DIR": str(self.state_dir),
        }

    @property
    def bootstrap(self) -> str:
        return ",".join(f"127.0.0.1:{self.client_port(n)}" for n in NODES)

    @property
    def topic_env(self) -> dict[str, str]:
        """The `KAFKA_TOPIC_*` settings of services using this cluster."""
        return dict(CLUSTER_TOPICS)

    def client_port(self, node: int) -> int:
        return self.port + node - 1

    def kill_node(self, node: int) -> None:
        """SIGKILL one node, as a crash would."""
        self._run("kill-node", str(node))

    def start_node(self, node: int) -> None:
        self._run("start-node", str(node))

    def active_controller(self) -> int:
        """The node id of the quorum's leader (`kafka.sh quorum`: Kafka's MetadataQuorumCommand).
        Not the admin API's describe-cluster `controller_id`: with KRaft a broker answers that
        with any live broker's id, since clients cannot reach the controllers."""
        done = subprocess.run(  # noqa: S603
            [str(LOCAL / "kafka.sh"), "quorum"], env=self.env, capture_output=True, text=True,
            check=True, timeout=120,
        )  # fmt: skip
        leader = re.search(r"^LeaderId:\s+(\d+)$", done.stdout, re.MULTILINE)
        if leader is None:
            raise RuntimeError(f"no LeaderId in the quorum's description: {done.stdout[-400:]}")
        return int(leader.group(1))
