"""The processes and pools each service runs with when nothing is set (issue 18, target 6:
the look-up and list targets hold with the platform's defaults)."""

from __future__ import annotations

import pytest
from contacts_service.settings import ContactsSettings
from contacts_servicekit.environment_settings import SettingsError
from contacts_servicekit.settings import ServiceSettings
from directory_service.settings import DirectorySettings
from importer_service.settings import ImporterSettings
from invitations_service.settings import InvitationsSettings

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _nothing_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_WORKERS", "DB_POOL_MIN", "DB_POOL_MAX", "OUTBOX_RELAY_PROCESS"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("settings", [DirectorySettings, ContactsSettings])
def test_the_read_services_serve_from_two_processes_with_warm_pools(
    settings: type[ServiceSettings],
) -> None:
    loaded = settings.load()
    assert (loaded.http_workers, loaded.db_pool_min, loaded.db_pool_max) == (2, 10, 10)


def test_the_importer_keeps_one_process() -> None:
    loaded = ImporterSettings.load()
    assert (loaded.http_workers, loaded.db_pool_min) == (1, 1)


def test_the_invitations_serve_from_two_processes_with_small_pools() -> None:
    loaded = InvitationsSettings.load()
    assert (loaded.http_workers, loaded.db_pool_min) == (2, 1)


@pytest.mark.parametrize(
    ("settings", "own_process"),
    [(ImporterSettings, True), (ContactsSettings, True), (InvitationsSettings, True),
     (DirectorySettings, False)],
)  # fmt: skip
def test_the_writing_services_run_their_outbox_relay_in_a_process_of_its_own(
    settings: type[ServiceSettings], own_process: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Out of the event loop that serves the API and the consumers (an import's chunk steps:
    bench/IMPORTER.md; an API write's event: bench/README.md, write_to_event.py); the
    directory's few events stay in its loop. OUTBOX_RELAY_PROCESS says otherwise."""
    assert settings.load().outbox_relay_process is own_process
    monkeypatch.setenv("OUTBOX_RELAY_PROCESS", str(not own_process).lower())
    assert settings.load().outbox_relay_process is not own_process


def test_a_smaller_pool_for_a_read_service_names_both_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DB_POOL_MAX", "4")
    with pytest.raises(SettingsError, match=r"DB_POOL_MAX: must be >= DB_POOL_MIN \(10\)"):
        DirectorySettings.load()
    monkeypatch.setenv("DB_POOL_MIN", "2")
    assert DirectorySettings.load().db_pool_min == 2
