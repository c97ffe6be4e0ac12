"""The `contacts` command run in-process (Typer's CliRunner) against the real client, whose
HTTP goes to an ``httpx.MockTransport`` answering as the services would, and a session file
in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from contacts_cli.main import app
from contacts_cli.token_store import StoredSession, TokenStore
from contacts_cli.wiring import Wiring
from typer.testing import CliRunner, Result

from .fake_api import FakeApi


@pytest.fixture
def api() -> FakeApi:
    return FakeApi()


@pytest.fixture
def store(tmp_path: Path) -> TokenStore:
    return TokenStore(tmp_path / "config")


@pytest.fixture
def signed_in(store: TokenStore) -> StoredSession:
    session = StoredSession("stored-access", "stored-refresh")
    store.save(session)
    return session


Run = Callable[..., Result]


@pytest.fixture
def run(api: FakeApi, store: TokenStore) -> Run:
    """``run("list", "--json", input=..., env=...)``: the exit code and both streams."""

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        environment = {"CONTACTS_TOKEN": None, "COLUMNS": "200", **(env or {})}
        wiring = Wiring(httpx.MockTransport(api), store)
        return CliRunner().invoke(app, list(args), input=input, env=environment, obj=wiring)

    return invoke
