"""An invitations service process of the tests' own (schema, Kafka namespace, dev channel)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from contacts_testing.auth import bearer
from contacts_testing.running_service import RunningService, running_service

__all__ = ["InvitationsUnderTest", "bearer", "running_invitations"]


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


@pytest.fixture(scope="module")
async def invitations(
    postgres_admin_url, kafka_bootstrap, tmp_path_factory
) -> AsyncIterator[InvitationsUnderTest]:
    async with running_invitations(
        postgres_admin_url, kafka_bootstrap, tmp_path_factory.mktemp("invitations")
    ) as service:
        yield service
