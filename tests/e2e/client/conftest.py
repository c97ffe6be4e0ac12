"""The four services as processes on the tests' Kafka and Postgres, one platform (shared
events, the directory's keys accepted everywhere), for the typed client's end-to-end tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from contacts_client import AsyncContactsPlatform, Company, PlatformSettings, User
from contacts_testing.all_services import platform_for_people
from contacts_testing.auth import bearer
from contacts_testing.codes import wait_for_code

BACKEND, BACKEND_SECRET = "signup-backend", "a-backend-secret-of-forty-characters-at-least"


@dataclass
class Platform:
    settings: PlatformSettings
    messages: Path

    def client(self, token: str | None = None) -> AsyncContactsPlatform:
        return AsyncContactsPlatform(self.settings, token=token)

    def as_user(self, user_id: object, *roles: str) -> AsyncContactsPlatform:
        """A client with a development token of ``user_id``."""
        return self.client(bearer(str(user_id), *roles)["Authorization"].removeprefix("Bearer "))

    async def code(self, to: str, kind: str = "sign_in_code", after: str | None = None) -> str:
        return await asyncio.to_thread(wait_for_code, self.messages, to, kind, after=after)

    async def backend(self) -> AsyncContactsPlatform:
        """A platform backend's client, signed in with its client id and secret."""
        client = self.client()
        await client.auth.issue_service_token(BACKEND, BACKEND_SECRET)
        return client

    async def company(self, name: str, admin: str, phone: str) -> tuple[Company, User]:
        """A company set up by a backend, and its admin, registered with ``phone``."""
        backend = await self.backend()
        company = await backend.directory.create_company(name)
        user = await backend.users.register_user(admin, phone)
        added = await backend.directory.add_member(company.company_id, user.user_id, "admin")
        assert added is None  # platform credentials add at once: no offer
        return company, user


@pytest.fixture(scope="package")
async def platform(
    postgres_admin_url: str, kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Platform]:
    folder = tmp_path_factory.mktemp("client-e2e")
    env = {
        "directory": {"SERVICE_CLIENTS": f"{BACKEND}:{BACKEND_SECRET}"},
        "importer": {"IMPORT_CHUNK_ROWS": "50"},
    }
    async with platform_for_people(postgres_admin_url, kafka_bootstrap, folder, env) as services:
        urls = {f"{name}_url": service.process.url for name, service in services.items()}
        yield Platform(PlatformSettings.model_validate(urls), folder / "messages")
