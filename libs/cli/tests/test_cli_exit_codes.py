"""Exit codes and where the words go: stdout holds the answer only (JSON with --json), every
problem goes to stderr with its title, detail and field."""

from __future__ import annotations

import json

import httpx
import pytest
from contacts_cli.exit_codes import ExitCode
from contacts_cli.main import app
from contacts_cli.token_store import StoredSession, TokenStore
from contacts_cli.wiring import Wiring
from contacts_client import RetryPolicy
from typer.testing import CliRunner

from .conftest import Run
from .fake_api import FakeApi, problem

pytestmark = pytest.mark.unit
CONTACT = {
    "contact_id": "6f1d3b8e-2a43-4c6b-9f57-8e8a3c1d2b10", "kind": "user",
    "connect_id": "K7Q-M2X-9HB", "display_name": "Lea", "company_name": None, "archived": True,
    "managed": False, "managed_by": None, "added_via": "connect_id",
    "added_at": "2026-12-01T10:00:00Z",
}  # fmt: skip


def test_without_a_session_a_command_exits_3_and_says_how_to_sign_in(run: Run) -> None:
    result = run("list")

    assert result.exit_code == ExitCode.NOT_SIGNED_IN == 3
    assert result.stdout == ""
    assert "contacts login" in result.stderr


def test_with_json_the_missing_session_is_json_on_stderr(run: Run) -> None:
    result = run("whoami", "--json")

    assert result.exit_code == 3
    assert result.stdout == ""
    assert json.loads(result.stderr)["error"] == "not_signed_in"


def test_a_refusal_exits_1_with_title_detail_and_field_on_stderr(
    run: Run, api: FakeApi, signed_in: StoredSession
) -> None:
    api.on("POST", f"/v1/contacts/{CONTACT['contact_id']}/archive",
           problem(409, "managed_by_company", "Your company manages this contact.", "contact_id"))  # fmt: skip

    result = run("archive", str(CONTACT["contact_id"]))

    assert result.exit_code == ExitCode.API_REFUSED == 1
    assert result.stdout == ""
    for words in ("Conflict (409)", "Your company manages this contact.", "contact_id"):
        assert words in result.stderr


def test_with_json_a_refusal_is_the_problem_as_json_on_stderr(
    run: Run, api: FakeApi, signed_in: StoredSession
) -> None:
    api.on("GET", "/v1/connect-ids/K7QM2X9HC",
           problem(422, "connect_id_invalid", "K7QM2X9HC has a typo.", "connect_id"))  # fmt: skip

    result = run("add", "K7QM2X9HC", "--json")

    assert result.exit_code == 1
    assert result.stdout == ""
    refused = json.loads(result.stderr)
    assert refused["error"] == "connect_id_invalid"
    assert refused["status"] == 422
    assert refused["field"] == "connect_id"
    assert refused["detail"] == "K7QM2X9HC has a typo."


def test_a_refused_token_that_cannot_be_renewed_exits_3(
    run: Run, api: FakeApi, signed_in: StoredSession
) -> None:
    api.on("GET", "/v1/users/me", problem(401, "account_closed", "The account is closed."))

    result = run("whoami")

    assert result.exit_code == 3
    assert "The account is closed." in result.stderr
    assert "contacts login" in result.stderr


def test_a_service_that_cannot_be_reached_exits_5(store: TokenStore) -> None:
    store.save(StoredSession("access", "refresh"))

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    wiring = Wiring(httpx.MockTransport(refuse), store, RetryPolicy(attempts=1))
    result = CliRunner().invoke(app, ["list"], obj=wiring, env={"CONTACTS_TOKEN": None})

    assert result.exit_code == ExitCode.UNREACHABLE == 5
    assert "Could not reach http://127.0.0.1:8002/" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--limit", "0"),
        ("list", "--no-such-option"),
        ("import", "people.csv", "--yes"),  # no such file
        ("archive",),
    ],
)
def test_usage_errors_exit_2(run: Run, signed_in: StoredSession, args: tuple[str, ...]) -> None:
    result = run(*args)

    assert result.exit_code == ExitCode.USAGE == 2
    assert result.stdout == ""


def test_an_answer_with_json_is_json_alone_on_stdout(
    run: Run, api: FakeApi, signed_in: StoredSession
) -> None:
    api.on("GET", "/v1/contacts",
           httpx.Response(200, json={"items": [CONTACT], "next_cursor": None, "total": 1}))  # fmt: skip

    result = run("list", "--archived", "--json")

    assert result.exit_code == 0
    listed = json.loads(result.stdout)
    assert listed["total"] == 1
    assert listed["items"][0]["connect_id"] == "K7Q-M2X-9HB"
    [request] = api.sent("GET", "/v1/contacts")
    assert request.url.params["list"] == "archived"
