"""Where the tests' Kafka and Postgres come from, in this order:

1. `KAFKA_BOOTSTRAP_SERVERS` / `DATABASE_URL` (an admin URL) when set: use them as they are;
2. testcontainers, when a Docker engine answers;
3. otherwise the project's local scripts (`deploy/local/*.sh`), on test-only ports and a
   test-only state directory, so a developer's running platform is left alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[4]
LOCAL = REPO_ROOT / "deploy" / "local"
TEST_STATE_DIR = Path(
    os.environ.get("CONTACTS_TEST_STATE_DIR", "/var/tmp/contacts-platform-test")  # noqa: S108
)
PG_TEST_PORT = 25432
KAFKA_TEST_PORT = 29092
SINGLE_BROKER_TOPICS = {
    "KAFKA_TOPIC_REPLICATION_FACTOR": "1",
    "KAFKA_TOPIC_MIN_INSYNC_REPLICAS": "1",
    # 8 partitions as before the settings existed: the tests' shared broker holds the topics of
    # thousands of tests, and the benches' figures stay comparable with earlier runs
    "KAFKA_TOPIC_EVENTS_PARTITIONS": "8",
    "KAFKA_TOPIC_PROFILES_PARTITIONS": "8",
    "KAFKA_TOPIC_HISTORY_PARTITIONS": "8",
    "KAFKA_TOPIC_WORK_PARTITIONS": "8",
}
"""The `KAFKA_TOPIC_*` settings of services on one broker (the defaults need three)."""


class LocalScriptFailed(RuntimeError):
    """A deploy/local script failed; the message starts with the last lines it printed (the
    scripts print the reason last), so that a summary of failed tests says why."""


def run_local_script(script: str, action: str, env: dict[str, str], *args: str) -> None:
    """`deploy/local/<script> <action> <args>`, its output passed on to this process' stderr."""
    done = subprocess.run(  # noqa: S603
        [str(LOCAL / script), action, *args], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, check=False,
    )  # fmt: skip
    sys.stderr.write(done.stdout)
    if done.returncode != 0:
        tail = " | ".join(line.strip() for line in reversed(done.stdout.splitlines()[-8:]))
        raise LocalScriptFailed(f"{script} {action} exited {done.returncode}: {tail[:600]}")


def docker_available() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


@dataclass
class LocalKafka:
    """A Kafka broker run by deploy/local/kafka.sh with its own ports and data directory."""

    port: int
    state_dir: Path
    env: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.env = {
            **os.environ,
            "KAFKA_PORT": str(self.port),
            "KAFKA_CONTROLLER_PORT": str(self.port + 1),
            "CONTACTS_STATE_DIR": str(self.state_dir),
        }

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def topic_env(self) -> dict[str, str]:
        """The `KAFKA_TOPIC_*` settings of services using this broker."""
        return dict(SINGLE_BROKER_TOPICS)

    def _run(self, action: str, *args: str) -> None:
        run_local_script("kafka.sh", action, self.env, *args)

    def start(self, *, fresh: bool = False) -> None:
        """Start the broker unless it runs; with `fresh`, a stopped broker's topics go first.

        The tests' shared broker starts fresh: every test makes topics of its own, and a day of
        runs leaves thousands of partitions that slow the broker's start to minutes.
        """
        if fresh and not self.running():
            shutil.rmtree(self.state_dir / "kafka", ignore_errors=True)
        self._run("start")

    def running(self) -> bool:
        status = subprocess.run(  # noqa: S603
            [str(LOCAL / "kafka.sh"), "status"], env=self.env, capture_output=True, check=False
        )
        return status.returncode == 0

    def stop(self) -> None:
        self._run("stop")

    def kill(self) -> None:
        """SIGKILL, as a crash would."""
        self._run("kill")


@dataclass
class LocalPostgres:
    """A cluster run by deploy/local/postgres.sh; a second one on a machine has another `name`
    (its data directory and log) and may hold only some `services` (their schemas and roles)."""

    port: int
    state_dir: Path
    name: str = "postgres"
    services: tuple[str, ...] = ()  # empty: every service
    max_connections: int = 300  # deploy/local's; the suite's shared cluster serves two workers

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "PG_PORT": str(self.port), "CONTACTS_STATE_DIR": str(self.state_dir),
                "PG_CLUSTER_NAME": self.name, "PG_SERVICES": ",".join(self.services),
                "PG_MAX_CONNECTIONS": str(self.max_connections)}  # fmt: skip

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres:postgres@127.0.0.1:{self.port}/contacts_platform"

    def _run(self, action: str) -> None:
        run_local_script("postgres.sh", action, self.env)

    def start(self) -> None:
        self._run("start")

    def stop(self) -> None:
        self._run("stop")

    def kill(self) -> None:
        self._run("kill")
