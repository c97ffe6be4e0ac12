"""A contacts service process of the tests' own (own schema, own Kafka namespace)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from contacts_events import UserRegistered
from contacts_events.connect_id import generate
from contacts_testing.auth import bearer
from contacts_testing.running_service import RunningService, running_service

__all__ = ["ContactsUnderTest", "bearer"]


@dataclass
class ContactsUnderTest(RunningService):
    async def register(self, name: str) -> UserRegistered:
        """A user registers in the directory (the event reaches the contacts projection)."""
        user = UserRegistered(
            user_id=uuid.uuid4(), connect_id=generate(), display_name=name,
            phone_e164=f"+447400{uuid.uuid4().int % 1_000_000:06d}",
        )  # fmt: skip
        await self.events.publish(user)
        query = "SELECT true FROM directory_users WHERE user_id = $1"
        await self.until(lambda: self.pool.fetchval(query, user.user_id))
        return user

    async def list(self, owner: uuid.UUID, **params: object) -> dict:
        response = await self.http.get("/v1/contacts", params=params, headers=bearer(owner))
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="module")
async def contacts(
    postgres_admin_url, kafka_bootstrap, tmp_path_factory
) -> AsyncIterator[ContactsUnderTest]:
    folder = tmp_path_factory.mktemp("contacts")
    async with running_service("contacts", postgres_admin_url, kafka_bootstrap, folder) as service:
        yield ContactsUnderTest(**vars(service))
