"""The four services for the bad-input corpus, the importer with small limits (64 KB, 20 rows)
so that files one byte or one row over them stay small; and one user's data to keep intact."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from contacts_testing.all_services import running_services
from contacts_testing.auth import bearer
from contacts_testing.owned_world import OwnedWorld, build_world
from contacts_testing.running_service import RunningService

MAX_BYTES, MAX_ROWS = 65_536, 20


@pytest.fixture(scope="session")
async def services(
    postgres_admin_url: str, kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[dict[str, RunningService]]:
    folder = tmp_path_factory.mktemp("bad-input")
    env = {
        "importer": {"FALLBACK_REGION": "FR", "IMPORT_MAX_BYTES": str(MAX_BYTES),
                     "IMPORT_MAX_ROWS": str(MAX_ROWS)},
        "invitations": {"DEV_MESSAGES_DIR": str(folder)},
    }  # fmt: skip
    async with running_services(postgres_admin_url, kafka_bootstrap, folder, env) as started:
        yield started


@pytest.fixture(scope="session")
async def owner(services: dict[str, RunningService]) -> OwnedWorld:
    """A user with a profile, a company, a contact, a completed import and an invitation."""
    world = await build_world(services, "Owner")
    importer, me = services["importer"], bearer(world.owner)

    async def completed() -> bool:
        job = (await importer.http.get(f"/v1/imports/{world.import_id}", headers=me)).json()
        return bool(job["status"] == "completed")

    await importer.until(completed)
    return world
