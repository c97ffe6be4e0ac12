"""How long an import keeps its rows (domain/retention.py), and the setting's floor, refused
when the service starts."""

from __future__ import annotations

import os
import subprocess
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from contacts_servicekit.settings import SettingsError
from importer_service.domain.model import Import, ImportStatus
from importer_service.domain.retention import ImportRetention
from importer_service.settings import ImporterSettings

pytestmark = pytest.mark.unit

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
THIRTY_DAYS = ImportRetention(30)


def an_import(
    finished_at: datetime | None = None, rows_purged_at: datetime | None = None
) -> Import:
    return Import(
        import_id=uuid.uuid4(), owner_id=uuid.uuid4(), source="pasted", filename=None,
        file_format=None, sheets=[], sheet=None, encoding=None, headers=[], mapping=None,
        default_region="FR", status=ImportStatus.COMPLETED if finished_at else ImportStatus.VALIDATING,
        error=None, total_rows=3, chunk_count=1, parsed_chunks=1, emitted_chunks=1, counts=None,
        rows_parsed=3, rows_done=3, auto_start=False, auto_invite=False, invitations=None,
        created_at=NOW - timedelta(days=40), completed_at=finished_at, finished_at=finished_at,
        rows_purged_at=rows_purged_at,
    )  # fmt: skip


def test_rows_are_kept_the_retention_after_the_import_finished_and_not_a_moment_more():
    finished = an_import(finished_at=NOW - timedelta(days=30))

    assert THIRTY_DAYS.rows_kept_until(finished) == NOW
    assert not THIRTY_DAYS.rows_gone(finished, NOW - timedelta(seconds=1))
    assert THIRTY_DAYS.rows_gone(finished, NOW)


def test_an_import_still_running_or_waiting_keeps_its_rows_however_old():
    running = an_import()

    assert THIRTY_DAYS.rows_kept_until(running) is None
    assert not THIRTY_DAYS.rows_gone(running, NOW + timedelta(days=3650))


def test_rows_once_purged_are_gone_whatever_the_retention_says_now():
    purged = an_import(finished_at=NOW - timedelta(days=2), rows_purged_at=NOW)

    assert ImportRetention(90).rows_gone(purged, NOW)  # the retention was made longer since


@pytest.mark.parametrize(("days", "words"), [(30, "30 days"), (1, "1 day"), (1.5, "1.5 days")])
def test_the_answers_say_how_long_rows_are_kept_and_where_the_counts_are(days, words):
    retention = ImportRetention(days)
    import_id = uuid.uuid4()

    message = retention.gone_message(import_id)

    assert f"kept {words} after an import finishes (IMPORT_RETENTION_DAYS)" in message
    assert f"GET /v1/imports/{import_id}" in message
    assert retention.expired_error()["error"] == "import_expired"
    assert f"more than {words}" in retention.expired_error()["message"]


def test_the_retention_is_thirty_days_unless_set(monkeypatch: pytest.MonkeyPatch):
    assert ImporterSettings.load().import_retention_days == 30
    monkeypatch.setenv("IMPORT_RETENTION_DAYS", "1")
    assert ImporterSettings.load().import_retention_days == 1


def test_a_retention_under_a_day_is_refused_saying_why(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("IMPORT_RETENTION_DAYS", "0.5")

    with pytest.raises(SettingsError) as refused:
        ImporterSettings.load()

    assert "IMPORT_RETENTION_DAYS: must be at least 1 day" in str(refused.value)
    assert "download the results of an import that just finished" in str(refused.value)


def test_the_service_does_not_start_with_a_retention_under_its_floor():
    env = {**os.environ, "IMPORT_RETENTION_DAYS": "0.2"}

    started = subprocess.run(
        ["importer-service"], env=env, capture_output=True, text=True, timeout=60, check=False
    )

    assert started.returncode == 2
    assert "IMPORT_RETENTION_DAYS: must be at least 1 day" in started.stderr + started.stdout
