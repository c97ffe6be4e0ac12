"""An importer service process of the tests' own (own schema, own Kafka namespace)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg
import httpx
import pytest
from contacts_events import UserRegistered
from contacts_events.connect_id import generate
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
class ImporterUnderTest:
    http: httpx.AsyncClient
    events: EventPublisher
    namespace: str
    schema: str
    pool: asyncpg.Pool
    process: ServiceProcess

    async def register(self, phone: str, name: str = "User") -> UserRegistered:
        user = UserRegistered(
            user_id=uuid.uuid4(), connect_id=generate(), display_name=name, phone_e164=phone
        )
        await self.events.publish(user)
        for _ in range(300):
            if await self.pool.fetchval(
                "SELECT true FROM registered_users WHERE user_id = $1", user.user_id
            ):
                return user
            await asyncio.sleep(0.1)
        raise AssertionError("the registration never reached the importer's projection")

    async def finished(self, owner: uuid.UUID, import_id: str, seconds: float = 60) -> dict:
        for _ in range(int(seconds * 10)):
            job = (await self.http.get(f"/v1/imports/{import_id}", headers=bearer(owner))).json()
            if job["status"] in ("completed", "failed", "extracted"):
                return job
            await asyncio.sleep(0.1)
        raise AssertionError(f"import {import_id} did not finish: {job}")

    async def rows(self, owner: uuid.UUID, import_id: str) -> list[dict]:
        found, after = [], 0
        while after is not None:
            page = (await self.http.get(f"/v1/imports/{import_id}/rows", params={"after": after, "limit": 1000},
                                        headers=bearer(owner))).json()  # fmt: skip
            found += page["items"]
            after = page["next_after"]
        return found


@asynccontextmanager
async def running_importer(
    admin_url: str, bootstrap: str, log_dir, **env: str
) -> AsyncIterator[ImporterUnderTest]:
    """An importer process with its own schema and Kafka namespace (extra settings in `env`)."""
    namespace = f"t{uuid.uuid4().hex[:10]}"
    schema = f"t_importer_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(admin_url)
    await admin.execute(f'CREATE SCHEMA "{schema}"')
    settings = {"DATABASE_URL": admin_url, "DB_SCHEMA": schema, "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
                "KAFKA_NAMESPACE": namespace, "IMPORT_CHUNK_ROWS": "7", "FALLBACK_REGION": "FR", **env}  # fmt: skip
    process = ServiceProcess("importer", settings, log_dir / "importer.log")
    process.start()
    await asyncio.to_thread(process.wait_for, "/ready")
    pool = await asyncpg.create_pool(admin_url, server_settings={"search_path": schema})
    try:
        async with (
            httpx.AsyncClient(base_url=process.url, timeout=30) as http,
            EventPublisher(bootstrap, namespace) as events,
        ):
            yield ImporterUnderTest(http, events, namespace, schema, pool, process)
    finally:
        process.kill()
        await pool.close()
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()


@pytest.fixture(scope="module")
async def importer(
    postgres_admin_url, kafka_bootstrap, tmp_path_factory
) -> AsyncIterator[ImporterUnderTest]:
    async with running_importer(
        postgres_admin_url, kafka_bootstrap, tmp_path_factory.mktemp("importer")
    ) as service:
        yield service
