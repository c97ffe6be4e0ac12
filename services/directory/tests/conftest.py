"""A directory service process of the tests' own (own schema), and tokens to call it with; for
the use cases alone, the one-time codes with a sender that keeps what it sent."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import asyncpg
import httpx
import pytest
from contacts_testing.auth import bearer
from contacts_testing.service_process import ServiceProcess
from directory_service.domain.one_time_codes import CodeRules
from directory_service.handlers.codes import Codes

from .fake_users_state import SentCodes

STAFF = bearer("registration-backend", "service")


@pytest.fixture(scope="module")
async def directory_schema(postgres_admin_url: str) -> AsyncIterator[str]:
    schema = f"t_directory_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(postgres_admin_url)
    await conn.execute(f'CREATE SCHEMA "{schema}"')
    yield schema
    await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    await conn.close()


@pytest.fixture(scope="module")
def start_directory(
    postgres_admin_url: str,
    kafka_bootstrap: str,
    directory_schema: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[..., ServiceProcess]:
    """Start directory processes sharing one schema; all are stopped after the module."""
    started: list[ServiceProcess] = []

    def start(**env: str) -> ServiceProcess:
        service = ServiceProcess(
            "directory",
            {"DATABASE_URL": postgres_admin_url, "DB_SCHEMA": directory_schema,
             "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, **env},
            tmp_path_factory.mktemp("directory") / "directory.log",
        )  # fmt: skip
        service.start()
        service.wait_for("/ready")
        started.append(service)
        return service

    yield start  # type: ignore[misc]
    for service in started:
        service.kill()


@pytest.fixture(scope="module")
def directory(start_directory: Callable[..., ServiceProcess]) -> httpx.Client:
    service = start_directory(LOOKUP_BURST="1000", LOOKUP_PER_MINUTE="1000")
    with httpx.Client(base_url=service.url, timeout=10) as client:
        yield client  # type: ignore[misc]


@pytest.fixture(scope="module")
def messages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where a module's directory writes the codes it sends (the development channel)."""
    return tmp_path_factory.mktemp("messages")


@pytest.fixture
def new_phone() -> Callable[[], str]:
    """A fresh, valid UK mobile number (+44 7400 xxxxxx)."""
    return lambda: f"+447400{uuid.uuid4().int % 1_000_000:06d}"


def register(directory: httpx.Client, phone: str, name: str = "Ada") -> str:
    """A user registered by the platform back-end; their user id."""
    body = {"display_name": name, "phone": phone}
    created = directory.post("/v1/users", json=body, headers=STAFF)
    assert created.status_code == 201, created.text
    user_id: str = created.json()["user_id"]
    return user_id


def company_run_by(directory: httpx.Client, admin_id: str, name: str) -> str:
    """A company whose first admin the platform added directly; its id."""
    created = directory.post("/v1/companies", json={"name": name}, headers=STAFF)
    company_id: str = created.json()["company_id"]
    added = directory.post(
        f"/v1/companies/{company_id}/members",
        json={"user_id": admin_id, "role": "admin"},
        headers=STAFF,
    )
    assert added.status_code == 204, added.text
    return company_id


@pytest.fixture
def acme(directory, new_phone):
    """Acme's company id, and the headers of its admin Wile."""
    admin = register(directory, new_phone(), "Wile")
    return company_run_by(directory, admin, "Acme"), bearer(admin)


@pytest.fixture
def sms() -> SentCodes:
    return SentCodes()


@pytest.fixture
def codes(sms: SentCodes) -> Codes:
    """Codes of two attempts, sent to `sms`."""
    return Codes(b"k" * 32, CodeRules(attempts=2), sms)
