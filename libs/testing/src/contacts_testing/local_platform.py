"""The whole platform as separate processes, for end-to-end and fault tests: a Kafka broker, a
Postgres cluster, the four services (and, with `web=True`, the web app on `http_base`), each service as its own login role in its own schema,
all on fixed ports of the test's choosing so that any of them can be killed and restarted.

    platform = LocalPlatform(Ports(kafka=27192, postgres=27132, http_base=27100), state_dir)
    platform.start()          # Kafka, Postgres, then the services, waiting until all are ready
    platform.kill("importer"); platform.restart("importer")
    platform.stop()

A three-node Kafka cluster instead of one broker: `LocalPlatform(..., kafka_nodes=3)` (nodes on
`ports.kafka` .. +2, their controllers on +3 .. +5; the services get the three addresses and
replication 3 / min ISR 2).

A database per service: `Ports(..., second_postgres=27133)` and
`LocalPlatform(..., on_second_cluster=("directory", "invitations"))` put those services' schemas
and roles on a second cluster, and only there; the others stay on the first.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

from contacts_testing.infra import LocalKafka, LocalPostgres
from contacts_testing.kafka_cluster import LocalKafkaCluster
from contacts_testing.service_process import ServiceProcess

SERVICE_NAMES = ("directory", "contacts", "importer", "invitations")


@dataclass(frozen=True)
class Ports:
    kafka: int  # and kafka + 1 for its controller (a three-node cluster: kafka .. kafka + 5)
    postgres: int
    http_base: int  # services on http_base + 1 .. + 4, in SERVICE_NAMES order; the web app on it
    second_postgres: int | None = None  # a second cluster, for LocalPlatform.on_second_cluster

    def http(self, name: str) -> int:
        return self.http_base if name == "web" else self.http_base + 1 + SERVICE_NAMES.index(name)


@dataclass
class LocalPlatform:
    ports: Ports
    state_dir: Path
    service_env: dict[str, dict[str, str]] = field(default_factory=dict)
    """Extra environment per service name (e.g. the invitations' SMS provider)."""
    web: bool = False
    """Run the web app too (on `ports.http_base`); invitation links then open it."""
    on_second_cluster: tuple[str, ...] = ()
    """Services whose database is the second cluster (`ports.second_postgres`)."""
    kafka_nodes: int = 1
    """1: one broker; 3: a three-node cluster (LocalKafkaCluster) with its topic settings."""
    kafka: LocalKafka = field(init=False)
    postgres: LocalPostgres = field(init=False)
    second_postgres: LocalPostgres | None = field(init=False, default=None)
    services: dict[str, ServiceProcess] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.kafka = self._kafka()
        self.postgres = self._first_cluster()
        if self.on_second_cluster:
            assert self.ports.second_postgres, "on_second_cluster needs ports.second_postgres"
            self.second_postgres = LocalPostgres(
                self.ports.second_postgres, self.state_dir, "postgres-2", self.on_second_cluster
            )
        for name in SERVICE_NAMES:
            self.services[name] = self.service_process(name, self.ports.http(name))
        if self.web:
            self.services["web"] = self.service_process("web", self.ports.http_base)

    def _kafka(self) -> LocalKafka:
        if self.kafka_nodes == 3:
            return LocalKafkaCluster(self.ports.kafka, self.state_dir)
        assert self.kafka_nodes == 1, "kafka_nodes: 1 (a broker) or 3 (a cluster)"
        return LocalKafka(self.ports.kafka, self.state_dir)

    @property
    def bootstrap(self) -> str:
        return self.kafka.bootstrap

    def _first_cluster(self) -> LocalPostgres:
        """Every service not on the second cluster (all of them without one)."""
        names = (*SERVICE_NAMES, "web")
        held = tuple(n for n in names if n not in self.on_second_cluster)
        return LocalPostgres(self.ports.postgres, self.state_dir, "postgres", held)

    @property
    def clusters(self) -> list[LocalPostgres]:
        return [self.postgres, *([self.second_postgres] if self.second_postgres else [])]

    def postgres_of(self, name: str) -> LocalPostgres:
        """The cluster holding service `name`'s schema."""
        if self.second_postgres is not None and name in self.on_second_cluster:
            return self.second_postgres
        return self.postgres

    @property
    def admin_url(self) -> str:
        return self.postgres.admin_url

    @property
    def messages_dir(self) -> Path:
        return self.state_dir / "messages"

    def url(self, name: str) -> str:
        return self.services[name].url

    def _url_of(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports.http(name)}"

    def service_process(self, name: str, port: int) -> ServiceProcess:
        """A process of service `name` on `port` (a second instance gets another port)."""
        role = f"{name}_svc"
        env = {
            "DATABASE_URL": f"postgresql://{role}:{role}@127.0.0.1:{self.postgres_of(name).port}/contacts_platform",
            "DB_SCHEMA": name,
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            **self.kafka.topic_env,
            "DEV_MESSAGES_DIR": str(self.messages_dir),
            "INVITE_LINK_BASE": f"http://127.0.0.1:{self.ports.http('web' if self.web else 'invitations')}",
            "SMS_STATUS_CALLBACK_URL": f"{self._url_of('invitations')}/v1/sms/status",
            **{f"CONTACTS_{other.upper()}_URL": self._url_of(other) for other in SERVICE_NAMES},
            "JWT_JWKS_URL": f"http://127.0.0.1:{self.ports.http('directory')}/.well-known/jwks.json",
            **self.service_env.get(name, {}),
        }
        logs = self.state_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        return ServiceProcess(name, env, logs / f"{name}-{port}.log", port=port)

    def start(self) -> None:
        """Start from empty state: Kafka, Postgres, then every service; wait until all are ready."""
        self.stop()  # whatever an interrupted run left behind
        shutil.rmtree(self.state_dir, ignore_errors=True)
        self.kafka.start()
        for cluster in self.clusters:
            cluster.start()
        for service in self.services.values():
            service.start()
        self.wait_ready()

    @contextmanager
    def running(self) -> Iterator[LocalPlatform]:
        """Started (from empty state) for the block, stopped after it whatever happens."""
        try:
            self.start()
            yield self
        finally:
            self.stop()

    def wait_ready(self, seconds: float = 120) -> None:
        for service in self.services.values():
            service.wait_ready(seconds=seconds)

    def kill(self, *names: str) -> None:
        """SIGKILL the services named, as a crash would."""
        for name in names:
            self.services[name].kill()

    def restart(self, *names: str, seconds: float = 120) -> None:
        for name in names:
            self.services[name].start()
        for name in names:
            self.services[name].wait_ready(seconds=seconds)

    def ensure_running(self) -> None:
        """Bring back whatever a previous test left stopped (broker, database, services)."""
        self.kafka.start()
        for cluster in self.clusters:
            cluster.start()
        for name, code in self.crashed().items():
            print(f"{name} had exited on its own ({code}): see {self.services[name].log_path}", file=sys.stderr)  # fmt: skip
        for service in self.services.values():
            if service.process is None or service.process.poll() is not None:
                service.start()
        self.wait_ready()

    def crashed(self) -> dict[str, int]:
        """The services whose process ended though no test killed or stopped it, with their
        exit codes: a fault test fails on one (a crash is not a fault it injected)."""
        exits = {name: s.exited_unasked() for name, s in self.services.items()}
        return {name: code for name, code in exits.items() if code is not None}

    def stop(self) -> None:
        for service in self.services.values():
            service.kill()
        for cluster in self.clusters:
            cluster.kill()
        self.kafka.kill()

    def ready(self, name: str) -> bool:
        try:
            answer = httpx.get(self.url(name) + "/ready", timeout=5)
            return answer.status_code == 200 and answer.json().get("status") == "ready"
        except httpx.TransportError:
            return False

    async def admin(self) -> asyncpg.Connection:
        """A superuser connection, for checks across every service's schema."""
        return await asyncpg.connect(self.admin_url)
