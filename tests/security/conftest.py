"""The four services, started once for the security suite."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from contacts_testing.all_services import running_services
from contacts_testing.running_service import RunningService


@pytest.fixture(scope="session")
async def services(
    postgres_admin_url: str, kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[dict[str, RunningService]]:
    folder = tmp_path_factory.mktemp("security")
    env = {
        "directory": {"LOOKUP_BURST": "100000", "LOOKUP_PER_MINUTE": "100000"},
        "importer": {"FALLBACK_REGION": "FR", "IMPORT_CHUNK_ROWS": "50"},
        "invitations": {"DEV_MESSAGES_DIR": str(folder)},
    }
    async with running_services(postgres_admin_url, kafka_bootstrap, folder, env) as started:
        yield started
