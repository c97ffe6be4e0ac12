"""An importer service process of the tests' own (own schema, own Kafka namespace)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from contacts_events import UserRegistered
from contacts_events.connect_id import generate
from contacts_testing.auth import bearer
from contacts_testing.running_service import RunningService, running_service

__all__ = ["ImporterUnderTest", "bearer", "running_importer"]


@dataclass
class ImporterUnderTest(RunningService):
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

    async def pasted(self, owner: uuid.UUID, text: str) -> dict:
        """`text` pasted by `owner`, once its import finished (the import's view)."""
        made = await self.http.post(
            "/v1/imports/pasted", json={"text": text}, headers=bearer(owner)
        )
        assert made.status_code == 201, made.text
        return await self.finished(owner, made.json()["import_id"])

    async def rows(self, owner: uuid.UUID, import_id: str) -> list[dict]:
        found, params = [], {"limit": 1000}
        while True:
            page = (await self.http.get(f"/v1/imports/{import_id}/rows", params=params,
                                        headers=bearer(owner))).json()  # fmt: skip
            found += page["items"]
            if page["next_cursor"] is None:
                return found
            params["cursor"] = page["next_cursor"]


@asynccontextmanager
async def running_importer(
    admin_url: str, bootstrap: str, folder: Path, **env: str
) -> AsyncIterator[ImporterUnderTest]:
    """An importer process (small chunks, French default region unless `env` says otherwise)."""
    settings = {"IMPORT_CHUNK_ROWS": "7", "FALLBACK_REGION": "FR", **env}
    async with running_service("importer", admin_url, bootstrap, folder, **settings) as service:
        yield ImporterUnderTest(**vars(service))


@pytest.fixture(scope="module")
async def importer(
    postgres_admin_url, kafka_bootstrap, tmp_path_factory
) -> AsyncIterator[ImporterUnderTest]:
    async with running_importer(
        postgres_admin_url, kafka_bootstrap, tmp_path_factory.mktemp("importer")
    ) as service:
        yield service
