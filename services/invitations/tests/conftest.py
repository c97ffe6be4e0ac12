"""An invitations service process of the tests' own (schema, Kafka namespace, dev channel)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
from contacts_servicekit.auth import mint_token
from contacts_servicekit.settings import AuthSettings
from contacts_testing.publisher import EventPublisher
from contacts_testing.service_process import ServiceProcess


def bearer(user_id: uuid.UUID | str) -> dict[str, str]:
    auth = AuthSettings()
    token = mint_token(str(user_id), secret=auth.jwt_secret.get_secret_value(),
                       issuer=auth.jwt_issuer, audience=auth.jwt_audience)  # fmt: skip
    return {"Authorization": f"Bearer {token}"}


@dataclass
class InvitationsUnderTest:
    http: httpx.AsyncClient
    events: EventPublisher
    namespace: str
    pool: asyncpg.Pool
    process: ServiceProcess
    messages: Path

    def sent_messages(self) -> list[dict]:
        if not self.messages.exists():
            return []
        return [json.loads(line) for line in self.messages.read_text().splitlines()]

    async def until(self, check, seconds: float = 30):  # type: ignore[no-untyped-def]
        for _ in range(int(seconds * 10)):
            value = check()
            if asyncio.iscoroutine(value):
                value = await value
            if value:
                return value
            await asyncio.sleep(0.1)
        raise AssertionError("condition not met in time")


@asynccontextmanager
async def running_invitations(
    admin_url: str, bootstrap: str, folder: Path, **env: str
) -> AsyncIterator[InvitationsUnderTest]:
    namespace = f"t{uuid.uuid4().hex[:10]}"
    schema = f"t_invitations_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(admin_url)
    await admin.execute(f'CREATE SCHEMA "{schema}"')
    settings = {"DATABASE_URL": admin_url, "DB_SCHEMA": schema, "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
                "KAFKA_NAMESPACE": namespace, "DEV_MESSAGES_DIR": str(folder), **env}  # fmt: skip
    process = ServiceProcess("invitations", settings, folder / "invitations.log")
    process.start()
    await asyncio.to_thread(process.wait_for, "/ready")
    pool = await asyncpg.create_pool(admin_url, server_settings={"search_path": schema})
    try:
        async with (
            httpx.AsyncClient(base_url=process.url, timeout=30) as http,
            EventPublisher(bootstrap, namespace) as events,
        ):
            yield InvitationsUnderTest(
                http, events, namespace, pool, process, folder / "messages.jsonl"
            )
    finally:
        process.kill()
        await pool.close()
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()


@pytest.fixture(scope="module")
async def invitations(
    postgres_admin_url, kafka_bootstrap, tmp_path_factory
) -> AsyncIterator[InvitationsUnderTest]:
    async with running_invitations(
        postgres_admin_url, kafka_bootstrap, tmp_path_factory.mktemp("invitations")
    ) as service:
        yield service
