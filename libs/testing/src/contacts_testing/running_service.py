"""A service as its real process, with a schema and a Kafka namespace of its own, plus an HTTP
client, an event publisher into its namespace and a pool on its schema."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from contacts_messaging.kafka_connection import Kafka
from pydantic import SecretStr

from contacts_testing.publisher import EventPublisher
from contacts_testing.service_process import ServiceProcess


@dataclass
class RunningService:
    http: httpx.AsyncClient
    events: EventPublisher
    namespace: str
    schema: str
    pool: asyncpg.Pool
    process: ServiceProcess

    async def until(self, check: Callable[[], Any], seconds: float = 30) -> Any:
        """Poll `check` (sync or async) until it returns something truthy; return that."""
        for _ in range(int(seconds * 10)):
            value = check()
            if asyncio.iscoroutine(value):
                value = await value
            if value:
                return value
            await asyncio.sleep(0.1)
        raise AssertionError(f"condition not met within {seconds} s")


@asynccontextmanager
async def running_service(
    name: str, admin_url: str, kafka: Kafka, folder: Path, namespace: str = "", **env: str
) -> AsyncIterator[RunningService]:
    """Start `<name>-service` on a fresh schema and namespace (or the `namespace` given, which
    services share to see each other's events); remove the schema afterwards."""
    namespace = namespace or f"t{uuid.uuid4().hex[:10]}"
    schema = f"t_{name}_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(admin_url)
    await admin.execute(f'CREATE SCHEMA "{schema}"')
    settings = {"DATABASE_URL": admin_url, "DB_SCHEMA": schema, **kafka_environment(kafka),
                "KAFKA_NAMESPACE": namespace, **env}  # fmt: skip
    process = ServiceProcess(name, settings, folder / f"{name}.log")
    process.start()
    pool = None
    try:
        await asyncio.to_thread(process.wait_for, "/ready")
        pool = await asyncpg.create_pool(admin_url, server_settings={"search_path": schema})
        async with (
            httpx.AsyncClient(base_url=process.url, timeout=30) as http,
            EventPublisher(kafka, namespace) as events,
        ):
            yield RunningService(http, events, namespace, schema, pool, process)
    finally:
        process.kill()
        if pool is not None:
            await pool.close()
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()


def kafka_environment(kafka: Kafka) -> dict[str, str]:
    """The ``KAFKA_*`` variables with which a service reaches `kafka` as this process does."""
    if isinstance(kafka, str):
        return {"KAFKA_BOOTSTRAP_SERVERS": kafka}
    values = kafka.model_dump(exclude={"environment"}, exclude_none=True)
    return {name.upper(): _variable(value) for name, value in values.items()}


def _variable(value: object) -> str:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    return str(value).lower() if isinstance(value, bool) else str(value)
