"""Where the tests' Kafka and Postgres come from, in this order:

1. `KAFKA_BOOTSTRAP_SERVERS` / `DATABASE_URL` (an admin URL) when set: use them as they are;
2. testcontainers, when a Docker engine answers;
3. otherwise the project's local scripts (`deploy/local/*.sh`), on test-only ports and a
   test-only state directory, so a developer's running platform is left alone.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[4]
LOCAL = REPO_ROOT / "deploy" / "local"
TEST_STATE_DIR = Path(
    os.environ.get("CONTACTS_TEST_STATE_DIR", "/var/tmp/contacts-platform-test")  # noqa: S108
)
PG_TEST_PORT = 25432
KAFKA_TEST_PORT = 29092


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

    def _run(self, action: str) -> None:
        subprocess.run([str(LOCAL / "kafka.sh"), action], env=self.env, check=True)  # noqa: S603

    def start(self) -> None:
        self._run("start")

    def stop(self) -> None:
        self._run("stop")

    def kill(self) -> None:
        """SIGKILL, as a crash would."""
        self._run("kill")


@dataclass
class LocalPostgres:
    port: int
    state_dir: Path

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "PG_PORT": str(self.port), "CONTACTS_STATE_DIR": str(self.state_dir)}

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres:postgres@127.0.0.1:{self.port}/contacts_platform"

    def _run(self, action: str) -> None:
        subprocess.run([str(LOCAL / "postgres.sh"), action], env=self.env, check=True)  # noqa: S603

    def start(self) -> None:
        self._run("start")

    def stop(self) -> None:
        self._run("stop")

    def kill(self) -> None:
        self._run("kill")
