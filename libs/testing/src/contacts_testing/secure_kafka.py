"""A Kafka broker that takes only TLS + SASL/SCRAM-SHA-512, started from the jars the local
scripts fetch (`deploy/local/kafka.sh fetch`), with certificates and users the test makes.

The clients' listener (SASL_SSL) serves the brokers among themselves too; a second one (MTLS)
takes TLS with a client certificate the CA signed instead of SASL. Only the KRaft
controllers' listener is PLAINTEXT on the loopback (controllers cannot use SCRAM, whose
credentials live in the metadata they serve). SCRAM users are written at format time
(`StorageTool format --add-scram`), so the broker takes them from its first second.
:func:`broker_properties` describes any node of an N-node cluster; :class:`SecureKafka` runs
one node or several (`nodes=3`: a secured three-node cluster, replication 3).
"""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from contacts_servicekit.kafka_settings import KafkaConnectionSettings

from contacts_testing.infra import LOCAL
from contacts_testing.tls import CertificateAuthority

BROKER_USER = "broker"  # the brokers' own SCRAM login among themselves
START_SECONDS = 120.0


@dataclass(frozen=True)
class Node:
    """One node of the cluster: its id and its SASL_SSL, controller and MTLS ports."""

    node_id: int
    port: int
    controller_port: int
    mtls_port: int


@dataclass(frozen=True)
class ClusterSecurity:
    """What every node of a secured cluster shares: its TLS files and SCRAM users."""

    ca_file: Path
    keystore_file: Path  # the server's key and certificate, one PEM (ssl.keystore.type=PEM)
    users: Mapping[str, str]  # name -> password, BROKER_USER included


def broker_properties(node: Node, nodes: Sequence[Node], security: ClusterSecurity,
                      data_dir: Path) -> str:  # fmt: skip
    """server.properties of `node` in the cluster of `nodes` (each a broker and controller)."""
    voters = ",".join(f"{n.node_id}@127.0.0.1:{n.controller_port}" for n in nodes)
    replicas = min(len(nodes), 3)
    jaas = ("org.apache.kafka.common.security.scram.ScramLoginModule required "
            f'username="{BROKER_USER}" password="{security.users[BROKER_USER]}";')  # fmt: skip
    return "\n".join([
        "process.roles=broker,controller", f"node.id={node.node_id}",
        f"controller.quorum.voters={voters}",
        f"listeners=SASL_SSL://127.0.0.1:{node.port},MTLS://127.0.0.1:{node.mtls_port},"
        f"CONTROLLER://127.0.0.1:{node.controller_port}",
        f"advertised.listeners=SASL_SSL://127.0.0.1:{node.port},MTLS://127.0.0.1:{node.mtls_port}",
        "controller.listener.names=CONTROLLER", "inter.broker.listener.name=SASL_SSL",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL,MTLS:SSL",
        "listener.name.mtls.ssl.client.auth=required",
        "sasl.enabled.mechanisms=SCRAM-SHA-512",
        "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
        f"listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config={jaas}",
        "ssl.keystore.type=PEM", f"ssl.keystore.location={security.keystore_file}",
        "ssl.truststore.type=PEM", f"ssl.truststore.location={security.ca_file}",
        f"log.dirs={data_dir}", "num.partitions=1", "auto.create.topics.enable=false",
        f"offsets.topic.replication.factor={replicas}", "offsets.topic.num.partitions=4",
        f"transaction.state.log.replication.factor={replicas}",
        "transaction.state.log.min.isr=1",
        f"share.coordinator.state.topic.replication.factor={replicas}",
        "share.coordinator.state.topic.min.isr=1", "group.initial.rebalance.delay.ms=0",
    ]) + "\n"  # fmt: skip


def scram_arguments(users: Mapping[str, str]) -> list[str]:
    """`StorageTool format` arguments that create each SCRAM-SHA-512 user."""
    return [arg for name, password in users.items()
            for arg in ("--add-scram", f"SCRAM-SHA-512=[name={name},password={password}]")]  # fmt: skip


def kafka_classpath() -> str:
    """The jars `kafka.sh fetch` put in the cache (fetched now if missing)."""
    subprocess.run([str(LOCAL / "kafka.sh"), "fetch"], check=True)  # noqa: S603
    found = subprocess.run(  # noqa: S603
        ["bash", "-c", 'source "$0" && echo "$KAFKA_LIBS"', str(LOCAL / "common.sh")],  # noqa: S607
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return f"{found.stdout.strip()}/*"


@dataclass
class SecureKafka:
    """`nodes` brokers (each a controller too) in `folder` (certificates, data, logs): node N
    takes SASL_SSL on `port + 3(N-1)`, its controller listener on the next port, MTLS on the
    one after."""

    folder: Path
    port: int
    authority: CertificateAuthority
    user: str = "contacts"
    password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    nodes: int = 1
    _processes: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)
    _java: list[str] = field(default_factory=list)

    @property
    def cluster(self) -> list[Node]:
        return [self.node(number) for number in range(1, self.nodes + 1)]

    def node(self, number: int) -> Node:
        base = self.port + 3 * (number - 1)
        return Node(number, base, base + 1, base + 2)

    @property
    def bootstrap(self) -> str:
        return ",".join(f"127.0.0.1:{node.port}" for node in self.cluster)

    def log_file(self, number: int = 1) -> Path:
        return self.folder / f"kafka-{number}.log"

    def connection(self, **overrides: object) -> KafkaConnectionSettings:
        """Client settings that reach this cluster as `user` (`overrides` by field name)."""
        values: dict[str, object] = {
            "kafka_bootstrap_servers": self.bootstrap, "kafka_security_protocol": "SASL_SSL",
            "kafka_sasl_username": self.user, "kafka_sasl_password": self.password,
            "kafka_ssl_ca_file": self.authority.ca_file, **overrides,
        }  # fmt: skip
        return KafkaConnectionSettings.model_validate(values)  # not the environment's

    def start(self) -> None:
        """Format fresh nodes (one cluster id) and start them; brokers a crashed run left
        behind go first."""
        security = self._security()
        self._java = _java(kafka_classpath())
        cluster_id = _cluster_id()
        for node in self.cluster:
            self._kill_left_behind(node.node_id)
            data = self.folder / f"data-{node.node_id}"
            shutil.rmtree(data, ignore_errors=True)
            self._properties(node.node_id).write_text(
                broker_properties(node, self.cluster, security, data)
            )
            subprocess.run(  # noqa: S603
                [*self._java, "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c",
                 str(self._properties(node.node_id)), *scram_arguments(security.users)],
                check=True, capture_output=True,
            )  # fmt: skip
        for node in self.cluster:
            self.start_node(node.node_id)
        for node in self.cluster:
            self._wait_for_port(node.node_id)

    def start_node(self, number: int) -> None:
        """Start node `number` (formatted by `start`) in the background."""
        with self.log_file(number).open("ab") as log:
            process = subprocess.Popen(  # noqa: S603
                [*self._java, "kafka.Kafka", str(self._properties(number))],
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self._processes[number] = process
        self._pid_file(number).write_text(str(process.pid))

    def kill_node(self, number: int) -> None:
        """SIGKILL node `number` (a broker lost at once)."""
        process = self._processes.pop(number, None)
        if process is not None:
            process.kill()
            process.wait()
        self._pid_file(number).unlink(missing_ok=True)

    def stop(self) -> None:
        for number in list(self._processes):
            self.kill_node(number)

    def __enter__(self) -> SecureKafka:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _properties(self, number: int) -> Path:
        return self.folder / f"server-{number}.properties"

    def _pid_file(self, number: int) -> Path:
        return self.folder / f"kafka-{number}.pid"

    def _kill_left_behind(self, number: int) -> None:
        """SIGKILL the broker node `number`'s pid file names, if it still runs (a run that was
        killed before its teardown leaves it holding the ports)."""
        try:
            pid = int(self._pid_file(number).read_text())
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (FileNotFoundError, ValueError):
            return
        if str(self._properties(number)).encode() in command:  # not a reused pid
            os.kill(pid, signal.SIGKILL)
            time.sleep(1)  # its ports are free once the kernel has reaped it

    def _security(self) -> ClusterSecurity:
        server = self.authority.issue_server("kafka-server", ("127.0.0.1", "localhost"))
        keystore = self.folder / "kafka-server.pem"
        keystore.write_bytes(server.bundle())
        users = {BROKER_USER: secrets.token_urlsafe(16), self.user: self.password}
        return ClusterSecurity(self.authority.ca_file, keystore, users)

    def _wait_for_port(self, number: int) -> None:
        node, process = self.node(number), self._processes[number]
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"secure broker {number} exited; see {self.log_file(number)}")
            try:
                socket.create_connection(("127.0.0.1", node.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(
            f"secure broker {number} did not open 127.0.0.1:{node.port}; "
            f"see {self.log_file(number)}"
        )


def _java(classpath: str) -> list[str]:
    log4j = LOCAL / "kafka" / "log4j2.properties"
    return ["java", "-Xms128m", "-Xmx512m", f"-Dlog4j2.configurationFile={log4j}",
            "-cp", classpath]  # fmt: skip


def _cluster_id() -> str:
    """16 random bytes, URL-safe base64 unpadded, not starting with '-' (read as an option)."""
    while True:
        found = base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")
        if not found.startswith("-"):
            return found
