"""An invitations service process of the tests' own (schema, Kafka namespace, dev channel)."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from contacts_events import CompanyMemberJoined, CompanyRole, UserRegistered
from contacts_events.connect_id import generate
from contacts_events.envelope import CloudEvent
from contacts_events.kafka_binding import from_record
from contacts_testing.auth import bearer
from contacts_testing.running_service import RunningService, running_service

__all__ = [
    "InvitationsUnderTest", "bearer", "company_with", "invitations_with", "outbox_events",
    "running_invitations",
]  # fmt: skip


@dataclass
class InvitationsUnderTest(RunningService):
    messages: Path = Path()

    def sent_messages(self) -> list[dict]:
        if not self.messages.exists():
            return []
        return [json.loads(line) for line in self.messages.read_text().splitlines()]


@asynccontextmanager
async def running_invitations(
    admin_url: str, bootstrap: str, folder: Path, **env: str
) -> AsyncIterator[InvitationsUnderTest]:
    """An invitations process whose dev channel writes to `folder/messages.jsonl`."""
    async with running_service(
        "invitations", admin_url, bootstrap, folder, DEV_MESSAGES_DIR=str(folder), **env
    ) as service:
        yield InvitationsUnderTest(**vars(service), messages=folder / "messages.jsonl")


def invitations_with(folder: str, **env: str) -> Any:
    """A module-scoped fixture: one invitations process with these settings for the module."""

    @pytest.fixture(scope="module")
    async def service(
        postgres_admin_url, kafka_bootstrap, tmp_path_factory
    ) -> AsyncIterator[InvitationsUnderTest]:
        async with running_invitations(
            postgres_admin_url, kafka_bootstrap, tmp_path_factory.mktemp(folder), **env
        ) as running:
            yield running

    return service


invitations = invitations_with("invitations")


async def company_with(
    service: RunningService, members: dict[uuid.UUID, tuple[str, CompanyRole]]
) -> uuid.UUID:
    """A company whose members (id -> phone, role) the service has learnt from the directory."""
    company = uuid.uuid4()
    for user_id, (phone, role) in members.items():
        await service.events.publish(
            UserRegistered(user_id=user_id, connect_id=generate(), display_name="M", phone_e164=phone),
            CompanyMemberJoined(company_id=company, user_id=user_id, role=role),
        )  # fmt: skip

    async def known() -> bool:
        rows = await service.pool.fetch(
            "SELECT phone_region FROM company_members WHERE company_id = $1", company
        )
        return len(rows) == len(members) and all(r["phone_region"] for r in rows)

    await service.until(known)
    return company


async def outbox_events(pool: asyncpg.Pool) -> list[CloudEvent]:
    """The events in the outbox of `pool`'s schema, in order."""
    rows = await pool.fetch("SELECT key, value, headers FROM outbox ORDER BY position")
    return [
        from_record(r["key"], r["value"], [(n, v.encode()) for n, v in json.loads(r["headers"])])
        for r in rows
    ]
