"""docker-compose.yml runs the same platform as the local scripts (the four services and the
web app), with the same settings.

(`docker compose config` needs the compose plugin, absent on the build machines; where it is
present the last test runs it too.)
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml
from contacts_client import PlatformSettings
from contacts_service.settings import ContactsSettings
from contacts_testing.infra import REPO_ROOT
from contacts_web.settings import WebSettings
from directory_service.settings import DirectorySettings
from importer_service.settings import ImporterSettings
from invitations_service.settings import InvitationsSettings

pytestmark = pytest.mark.unit

SERVICES = {"directory": 8001, "contacts": 8002, "importer": 8003, "invitations": 8004}
SETTINGS = {"directory": DirectorySettings, "contacts": ContactsSettings,
            "importer": ImporterSettings, "invitations": InvitationsSettings}  # fmt: skip


class UniqueKeyLoader(yaml.SafeLoader):
    """YAML that refuses a key given twice (PyYAML keeps the last; docker compose refuses)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:  # type: ignore[override, type-arg]
        keys = [key.value for key, _ in node.value if key.tag != "tag:yaml.org,2002:merge"]
        twice = {key for key in keys if keys.count(key) > 1}
        if twice:
            raise yaml.constructor.ConstructorError(None, None, f"keys given twice: {twice}")
        return super().construct_mapping(node, deep=deep)


COMPOSE = yaml.load((REPO_ROOT / "docker-compose.yml").read_text(), UniqueKeyLoader)  # noqa: S506
LOCAL_SCRIPTS = REPO_ROOT / "deploy" / "local"
WRITABLE = "/tmp"  # noqa: S108 - each container's own tmpfs, the one place the images write


def local_default(name: str) -> str:
    """A setting's default in deploy/local/common.sh (`NAME="${NAME:-default}"`)."""
    text = (LOCAL_SCRIPTS / "common.sh").read_text()
    return re.search(rf'^{name}="\$\{{{name}:-([^}}]*)\}}"', text, re.M).group(1)  # type: ignore[union-attr]


def local_postgres_conf() -> dict[str, str]:
    """The settings deploy/local/postgres.sh writes into postgresql.conf."""
    text = (LOCAL_SCRIPTS / "postgres.sh").read_text()
    return dict(re.findall(r"^(max_connections|fsync|synchronous_commit) = (\S+)$", text, re.M))


def test_it_runs_kafka_postgres_the_four_services_and_the_web_app():
    assert set(COMPOSE["services"]) == {"kafka", "postgres", *SERVICES, "web"}
    assert COMPOSE["services"]["kafka"]["image"].startswith("apache/kafka:4.")
    assert COMPOSE["services"]["postgres"]["image"] == "postgres:15"


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_uses_its_own_role_schema_and_port_with_known_variables(name):
    service = COMPOSE["services"][name]
    env = service["environment"]
    known = {field.upper() for field in SETTINGS[name].model_fields}
    assert set(env) <= known, f"unknown variables: {set(env) - known}"
    assert env["DATABASE_URL"].startswith(f"postgresql://{name}_svc:{name}_svc@postgres:5432/")
    assert env["DB_SCHEMA"] == name
    assert env["HTTP_PORT"] == SERVICES[name]
    assert env["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
    assert service["build"]["args"]["SERVICE"] == name
    assert service["depends_on"]["kafka"]["condition"] == "service_healthy"


def test_the_web_app_reaches_each_service_by_its_compose_name_and_opens_invitation_links():
    web = COMPOSE["services"]["web"]
    env = web["environment"]
    known = {field.upper() for field in WebSettings.model_fields}
    known |= {f"CONTACTS_{field.upper()}" for field in PlatformSettings.model_fields}
    assert set(env) <= known, f"unknown variables: {set(env) - known}"
    assert env["DATABASE_URL"].startswith("postgresql://web_svc:web_svc@postgres:5432/")
    assert (env["DB_SCHEMA"], env["HTTP_PORT"]) == ("web", 8000)
    assert web["ports"] == ["127.0.0.1:8000:8000"]
    for name, port in SERVICES.items():
        assert env[f"CONTACTS_{name.upper()}_URL"] == f"http://{name}:{port}"
    invitations = COMPOSE["services"]["invitations"]["environment"]
    assert invitations["INVITE_LINK_BASE"] == "http://127.0.0.1:8000"


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


def test_kafka_advertises_one_listener_to_the_containers_and_one_to_the_host():
    kafka = COMPOSE["services"]["kafka"]
    env = kafka["environment"]
    host_port = local_default("KAFKA_PORT")
    advertised = dict(a.split("://") for a in env["KAFKA_ADVERTISED_LISTENERS"].split(","))
    assert advertised == {"INTERNAL": "kafka:9092", "HOST": f"127.0.0.1:{host_port}"}
    assert f"HOST://:{host_port}" in env["KAFKA_LISTENERS"].split(",")
    assert kafka["ports"] == [f"127.0.0.1:{host_port}:{host_port}"]
    assert env["KAFKA_INTER_BROKER_LISTENER_NAME"] == "INTERNAL"


def test_postgres_has_the_local_scripts_port_database_superuser_and_settings():
    postgres = COMPOSE["services"]["postgres"]
    env = postgres["environment"]
    assert postgres["ports"] == [f"127.0.0.1:{local_default('PG_PORT')}:5432"]
    assert env["POSTGRES_DB"] == local_default("PG_DATABASE")
    assert env["POSTGRES_PASSWORD"] == local_default("PG_SUPERUSER_PASSWORD")
    assert env["POSTGRES_USER"] == "postgres"
    command = postgres["command"]
    settings = dict(command[n + 1].split("=") for n, word in enumerate(command) if word == "-c")
    expected = local_postgres_conf() | {
        "shared_buffers": local_default("PG_SHARED_BUFFERS"),
        "max_connections": local_default("PG_MAX_CONNECTIONS"),
    }
    assert len(expected) == 4 and settings == expected
    initdb = (LOCAL_SCRIPTS / "postgres.sh").read_text()
    for argument in env["POSTGRES_INITDB_ARGS"].split():
        assert argument in initdb


@pytest.mark.parametrize("name", SERVICES)
def test_every_topic_gets_one_replica_on_the_one_broker(name):
    env = COMPOSE["services"][name]["environment"]
    assert env["KAFKA_TOPIC_REPLICATION_FACTOR"] == env["KAFKA_TOPIC_MIN_INSYNC_REPLICAS"] == 1


@pytest.mark.parametrize("name", [*SERVICES, "web"])
def test_every_service_runs_on_a_read_only_root_with_a_private_tmp(name):
    service = COMPOSE["services"][name]
    assert service["read_only"] is True
    assert service["tmpfs"] == [WRITABLE]
    if name in ("directory", "invitations"):  # their development channel writes the messages
        assert service["environment"]["DEV_MESSAGES_DIR"].startswith(f"{WRITABLE}/")
