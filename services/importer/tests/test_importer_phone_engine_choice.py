"""`IMPORT_PHONE_ENGINE` and the start-up check: the Rust engine is used only when its metadata
is not older than phonenumbers', an unknown engine is refused naming the variable."""

import os
import subprocess
from collections.abc import Iterator
from dataclasses import replace

import pytest
from contacts_servicekit.settings import SettingsError
from importer_service.domain import phone_engine, phones
from importer_service.domain.phone_engine import (
    ENGINE_VARIABLE,
    PHONENUMBERS,
    RPHONENUMBERS,
    choose,
    outdated_reason,
)
from importer_service.entrypoints.app import use_phone_engine
from importer_service.settings import ImporterSettings
from structlog.testing import capture_logs

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _engine_restored() -> Iterator[None]:
    before = phones.engine_in_use()
    yield
    phones.use_engine(before)


@pytest.fixture
def older_rust_engine(monkeypatch: pytest.MonkeyPatch) -> phone_engine.PhoneEngine:
    """rphonenumbers as if its metadata were 9.0.9: older than 9.0.41, though "9.0.9" > "9.0.41"
    as text."""
    older = replace(RPHONENUMBERS, metadata_version="9.0.9")
    monkeypatch.setitem(phone_engine.ENGINES, RPHONENUMBERS.name, older)
    return older


def test_the_locked_rphonenumbers_metadata_is_not_older_than_phonenumbers() -> None:
    """Fails on an upgrade of phonenumbers without an rphonenumbers release of its metadata."""
    assert outdated_reason(RPHONENUMBERS, PHONENUMBERS) is None
    assert choose("rphonenumbers") == (RPHONENUMBERS, None)


def test_the_rust_engine_is_the_default() -> None:
    assert ImporterSettings.load().import_phone_engine == "rphonenumbers"
    assert use_phone_engine("rphonenumbers") is RPHONENUMBERS
    assert phones.engine_in_use() is RPHONENUMBERS


def test_phonenumbers_is_used_when_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENGINE_VARIABLE, "phonenumbers")
    assert use_phone_engine(ImporterSettings.load().import_phone_engine) is PHONENUMBERS
    assert phones.engine_in_use() is PHONENUMBERS


def test_an_older_metadata_falls_back_to_phonenumbers_with_a_warning(
    older_rust_engine: phone_engine.PhoneEngine,
) -> None:
    with capture_logs() as logs:
        used = use_phone_engine("rphonenumbers")
    assert used is PHONENUMBERS
    assert phones.engine_in_use() is PHONENUMBERS
    [warning] = [log for log in logs if log["log_level"] == "warning"]
    assert warning["event"] == "phone_engine.fallback"
    assert (warning["rphonenumbers_metadata"], warning["phonenumbers"]) == ("9.0.9", "9.0.41")
    assert "9.0.9" in warning["reason"]
    assert PHONENUMBERS.metadata_version in warning["reason"]


def test_a_newer_metadata_is_used() -> None:
    assert outdated_reason(replace(RPHONENUMBERS, metadata_version="9.0.100"), PHONENUMBERS) is None
    assert outdated_reason(replace(RPHONENUMBERS, metadata_version="10.0.0"), PHONENUMBERS) is None


@pytest.mark.parametrize("name", ["", "Phonenumbers", "rust", "libphonenumber"])
def test_an_unknown_engine_is_refused_naming_the_variable(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ValueError, match=ENGINE_VARIABLE):
        choose(name)
    monkeypatch.setenv(ENGINE_VARIABLE, name)
    with pytest.raises(SettingsError) as refused:
        ImporterSettings.load()
    assert f"{ENGINE_VARIABLE}: must be one of rphonenumbers, phonenumbers" in str(refused.value)


def test_the_service_does_not_start_with_an_unknown_engine() -> None:
    env = {**os.environ, ENGINE_VARIABLE: "rust"}

    started = subprocess.run(
        ["importer-service"], env=env, capture_output=True, text=True, timeout=60, check=False
    )

    assert started.returncode == 2
    assert f"{ENGINE_VARIABLE}: must be one of rphonenumbers, phonenumbers" in started.stderr
