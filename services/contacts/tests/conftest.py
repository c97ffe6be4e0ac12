"""A contacts service process of the tests' own (own schema, own Kafka namespace)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
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
class ContactsUnderTest:
    http: httpx.AsyncClient
    events: EventPublisher
    namespace: str
    schema: str
    pool: asyncpg.Pool
    process: ServiceProcess

    async def register(self, name: str) -> UserRegistered:
        """A user registers in the directory (the event reaches the contacts projection)."""
        user = UserRegistered(
            user_id=uuid.uuid4(), connect_id=generate(), display_name=name,
            phone_e164=f"+447400{uuid.uuid4().int % 1_000_000:06d}",
        )  # fmt: skip
        await self.events.publish(user)
        await self.until(
            lambda: self.pool.fetchval(
                "SELECT true FROM directory_users WHERE user_id = $1", user.user_id
            )
        )
        return user

    async def until(self, check: Callable[[], object], seconds: float = 30) -> None:
        for _ in range(int(seconds * 10)):
            value = check()
            if asyncio.iscoroutine(value):
                value = await value
            if value:
                return
            await asyncio.sleep(0.1)
        raise AssertionError("condition not met in time")

    async def list(self, owner: uuid.UUID, **params: object) -> dict:
        response = await self.http.get("/v1/contacts", params=params, headers=bearer(owner))
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="module")
async def contacts(
    postgres_admin_url, kafka_bootstrap, tmp_path_factory
) -> AsyncIterator[ContactsUnderTest]:
    namespace = f"t{uuid.uuid4().hex[:10]}"
    schema = f"t_contacts_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(postgres_admin_url)
    await admin.execute(f'CREATE SCHEMA "{schema}"')
    process = ServiceProcess(
        "contacts",
        {"DATABASE_URL": postgres_admin_url, "DB_SCHEMA": schema,
         "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "KAFKA_NAMESPACE": namespace},
        tmp_path_factory.mktemp("contacts") / "contacts.log",
    )  # fmt: skip
    process.start()
    await asyncio.to_thread(process.wait_for, "/ready")
    pool = await asyncpg.create_pool(postgres_admin_url, server_settings={"search_path": schema})
    async with (
        httpx.AsyncClient(base_url=process.url, timeout=10) as http,
        EventPublisher(kafka_bootstrap, namespace) as events,
    ):
        yield ContactsUnderTest(http, events, namespace, schema, pool, process)
    process.kill()
    await pool.close()
    await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
    await admin.close()
