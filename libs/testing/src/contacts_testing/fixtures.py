"""Pytest fixtures for real Kafka and Postgres; each test gets its own topics and schema."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import asyncpg
import pytest
from contacts_messaging.kafka import ensure_topics
from contacts_messaging.schema import MESSAGING_MIGRATIONS
from contacts_messaging.topic_plan import TopicSpec
from contacts_servicekit.db import create_pool
from contacts_servicekit.migrations import migrate
from filelock import FileLock

from contacts_testing.browser import local_page  # noqa: F401 - the plugin's browser fixture
from contacts_testing.infra import (
    KAFKA_TEST_PORT,
    PG_TEST_PORT,
    SINGLE_BROKER_TOPICS,
    TEST_STATE_DIR,
    LocalKafka,
    LocalPostgres,
    docker_available,
)
from contacts_testing.kafka_cluster import CLUSTER_TEST_PORT, LocalKafkaCluster
from contacts_testing.parallel import (  # noqa: F401 - its hooks
    pytest_collection_modifyitems,
    pytest_make_parametrize_id,
)


def pytest_configure(config: pytest.Config) -> None:
    """Services the tests build in this process or start from it (they inherit its
    environment) make their topics for the tests' single broker, unless the environment says
    otherwise (a run against a cluster), and importers start their chunk workers only when
    needed."""
    for name, value in SINGLE_BROKER_TOPICS.items():
        os.environ.setdefault(name, value)
    # An importer starts its chunk workers (three processes, seconds of CPU) as it starts; the
    # tests start hundreds of importers that never need them, and CI took 8 minutes longer:
    # theirs start when an import first needs them (a test of the setting asks for it).
    os.environ.setdefault("IMPORT_WORKERS_AT_START", "false")


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """Bootstrap servers of a real Kafka broker."""
    if url := os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield url
    elif docker_available():
        from testcontainers.community.kafka import KafkaContainer

        # Confluent Platform 8.0 is Apache Kafka 4.0, the image testcontainers knows how to run
        with KafkaContainer("confluentinc/cp-kafka:8.0.0").with_kraft() as container:
            yield container.get_bootstrap_server()
    else:
        broker = LocalKafka(KAFKA_TEST_PORT, TEST_STATE_DIR)
        with _one_starter():
            broker.start(fresh=True)
        yield broker.bootstrap


@pytest.fixture(scope="session")
def kafka_cluster() -> Iterator[LocalKafkaCluster]:
    """A three-node cluster of the test session's own (tests opt in by naming it), started
    fresh and stopped at the end: three JVMs are too much memory to leave running."""
    cluster = LocalKafkaCluster(CLUSTER_TEST_PORT, TEST_STATE_DIR / "cluster")
    cluster.start(fresh=True)
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A superuser URL of a real Postgres whose database has the platform's bootstrap."""
    if url := os.environ.get("DATABASE_URL"):
        yield url
    elif docker_available():
        from testcontainers.community.postgres import PostgresContainer

        with PostgresContainer("postgres:15", dbname="contacts_platform", driver=None) as container:
            url = container.get_connection_url(driver=None)
            yield url
    else:
        server = LocalPostgres(PG_TEST_PORT, TEST_STATE_DIR, max_connections=SHARED_CONNECTIONS)
        with _one_starter():
            server.start()
        yield server.admin_url


SHARED_CONNECTIONS = 800
"""The shared cluster's `max_connections`: the services that tests start hold pools of it, on
each pytest-xdist worker at once (300 was too few for two workers)."""


def _one_starter() -> FileLock:
    """Held while the shared broker or cluster starts: pytest-xdist workers all ask for them at
    once, and the first starts what the others then find running."""
    TEST_STATE_DIR.mkdir(parents=True, exist_ok=True)
    return FileLock(TEST_STATE_DIR / "infra-start.lock")


@pytest.fixture
def unique_name(request: pytest.FixtureRequest) -> Callable[[str], str]:
    """Names no other test uses: `unique_name("events")` -> `t_<test>_events_<hex>`."""
    test = "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:20]
    return lambda base: f"t_{test}_{base}_{uuid.uuid4().hex[:8]}"


@pytest.fixture
async def new_topic(
    kafka_bootstrap: str, unique_name: Callable[[str], str]
) -> Callable[..., Awaitable[str]]:
    async def create(base: str = "events", partitions: int = 4) -> str:
        name = unique_name(base)
        await ensure_topics(kafka_bootstrap, [TopicSpec(name, partitions)])
        return name

    return create


@pytest.fixture
async def service_schema(
    postgres_admin_url: str, unique_name: Callable[[str], str]
) -> AsyncIterator[str]:
    """A fresh schema with the messaging tables (outbox, inbox), dropped after the test."""
    schema = unique_name("s")
    conn = await asyncpg.connect(postgres_admin_url)
    try:
        await conn.execute(f'CREATE SCHEMA "{schema}"')
        await conn.execute(f'SET search_path = "{schema}"')
        await migrate(conn, schema, MESSAGING_MIGRATIONS)
        yield schema
    finally:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await conn.close()


@pytest.fixture
async def schema_pool(postgres_admin_url: str, service_schema: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(postgres_admin_url, service_schema, max_size=5)
    yield pool
    await pool.close()


def schema_dsn(admin_url: str, schema: str) -> str:
    """A DSN whose connections use `schema` (for processes and LISTEN connections)."""
    sep = "&" if "?" in admin_url else "?"
    return f"{admin_url}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def repo_root() -> Path:
    from contacts_testing.infra import REPO_ROOT

    return REPO_ROOT
