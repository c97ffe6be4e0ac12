"""docker-compose.yml runs the same platform as the local scripts, with the same settings.

(`docker compose config` needs the compose plugin, absent on the build machines; where it is
present the last test runs it too.)
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml
from contacts_servicekit.settings import ServiceSettings
from contacts_testing.infra import REPO_ROOT

pytestmark = pytest.mark.unit

SERVICES = {"directory": 8001, "contacts": 8002, "importer": 8003, "invitations": 8004}
COMPOSE = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())


def test_it_runs_kafka_postgres_and_the_four_services():
    assert set(COMPOSE["services"]) == {"kafka", "postgres", *SERVICES}
    assert COMPOSE["services"]["kafka"]["image"].startswith("apache/kafka:4.")
    assert COMPOSE["services"]["postgres"]["image"] == "postgres:15"


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_uses_its_own_role_schema_and_port_with_known_variables(name):
    service = COMPOSE["services"][name]
    env = service["environment"]
    known = {field.upper() for field in ServiceSettings.model_fields}
    assert set(env) <= known, f"unknown variables: {set(env) - known}"
    assert env["DATABASE_URL"].startswith(f"postgresql://{name}_svc:{name}_svc@postgres:5432/")
    assert env["DB_SCHEMA"] == name
    assert env["HTTP_PORT"] == SERVICES[name]
    assert env["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
    assert service["build"]["args"]["SERVICE"] == name
    assert service["depends_on"]["kafka"]["condition"] == "service_healthy"


def test_postgres_is_bootstrapped_with_the_same_sql_as_the_local_scripts():
    volumes = COMPOSE["services"]["postgres"]["volumes"]
    assert any(
        v.startswith("./deploy/sql/bootstrap.sql:/docker-entrypoint-initdb.d/") for v in volumes
    )


@pytest.mark.skipif(
    shutil.which("docker") is None
    or subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0,
    reason="the docker compose plugin is not installed here",
)
def test_docker_compose_accepts_the_file():
    subprocess.run(["docker", "compose", "config", "-q"], cwd=REPO_ROOT, check=True)
