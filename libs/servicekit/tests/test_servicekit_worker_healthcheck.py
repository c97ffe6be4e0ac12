"""Workers started on busy cores are given time to answer the supervisor's first health ping:
uvicorn's 5 s default killed every worker of a two-process service while a machine at load
average 7-15 took 10 s to import it, and the service never became ready."""

from __future__ import annotations

import os
import sys
from typing import Any

import pytest
from contacts_servicekit import runner
from contacts_servicekit.environment_settings import SettingsError
from contacts_servicekit.settings import ServiceSettings
from fastapi import FastAPI

pytestmark = pytest.mark.unit


class _Settings(ServiceSettings):
    service_name: str = "healthcheck_test"
    http_port: int = 8099


def _served_with(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    """What `run_service` hands uvicorn (nothing is served)."""
    for name in ("HTTP_WORKERS", "HTTP_WORKER_HEALTHCHECK_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # run_service sets these in os.environ (the metrics directory to one it deletes on return):
    # set through monkeypatch first, so that each is put back as it was after the test, and
    # the services this test process starts later do not inherit a deleted directory
    for name in ("CONTACTS_SERVICE_SETTINGS_CLASS", "CONTACTS_SERVICE_BUILD_APP",
                 "CONTACTS_SERVICE_SUPERVISOR_PID", "PROMETHEUS_MULTIPROC_DIR"):  # fmt: skip
        monkeypatch.setenv(name, "")
    monkeypatch.setattr(sys, "argv", ["healthcheck_test-service"])
    served: dict[str, Any] = {}
    monkeypatch.setattr(runner.uvicorn, "run", lambda app, **options: served.update(options))
    runner.run_service(_Settings, lambda settings: FastAPI())
    return served


def test_several_workers_get_a_minute_to_answer_their_first_ping(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    served = _served_with(monkeypatch, HTTP_WORKERS="2")
    assert (served["workers"], served["timeout_worker_healthcheck"]) == (2, 60)


def test_the_wait_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    served = _served_with(monkeypatch, HTTP_WORKERS="2", HTTP_WORKER_HEALTHCHECK_SECONDS="120")
    assert served["timeout_worker_healthcheck"] == 120


def test_the_environment_is_left_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    before = dict(os.environ)
    with monkeypatch.context() as inner:
        _served_with(inner, HTTP_WORKERS="2")
    assert dict(os.environ) == before


def test_a_wait_of_zero_is_refused_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_WORKER_HEALTHCHECK_SECONDS", "0")
    with pytest.raises(SettingsError, match="HTTP_WORKER_HEALTHCHECK_SECONDS"):
        _Settings.load()
