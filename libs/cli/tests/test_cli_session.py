"""Signing in and the session: the code flow (a wrong code asked again, a name asked when the
number signs up), the tokens kept in the 0600 file and never printed, renewed tokens written
back, CONTACTS_TOKEN winning over the file, signing out."""

from __future__ import annotations

import json
import stat

import httpx
import pytest
from contacts_cli.token_store import StoredSession, TokenStore

from .conftest import Run
from .fake_api import FakeApi, problem

pytestmark = pytest.mark.unit
PHONE = "+447400123456"
USER = {
    "user_id": "0d9e5c1a-7a7b-4f7e-8a43-2f5c1b9d6e01", "connect_id": "K7Q-M2X-9HB",
    "display_name": "Lea", "phone": PHONE, "email": None, "company_id": None,
    "company_role": None, "created_at": "2026-12-01T10:00:00Z",
}  # fmt: skip
SIGNED_UP = {"access_token": "new-access", "token_type": "Bearer", "expires_in": 900,
             "refresh_token": "new-refresh", "user": USER, "signed_up": True}  # fmt: skip


def code_flow(api: FakeApi, *sign_in_answers: httpx.Response) -> None:
    api.on("POST", "/v1/auth/codes", httpx.Response(202, json={"expires_in": 300, "attempts": 5}))
    api.on("POST", "/v1/auth/sign-in", *sign_in_answers)


def test_login_asks_again_for_a_wrong_code_then_for_a_name_and_keeps_the_tokens(
    run: Run, api: FakeApi, store: TokenStore
) -> None:
    code_flow(
        api,
        problem(422, "code_invalid", "The code is wrong or expired.", "code"),
        problem(422, "display_name_required", "This number signs up: give a name.", "display_name"),
        httpx.Response(201, json=SIGNED_UP),
    )

    result = run("login", "--phone", PHONE, input="111111\n222222\nLea\n")

    assert result.exit_code == 0, result.stderr
    assert "Signed up as Lea (ConnectID K7Q-M2X-9HB)" in result.stdout
    assert "new-access" not in result.stdout + result.stderr
    sent = [json.loads(r.content) for r in api.sent("POST", "/v1/auth/sign-in")]
    assert [s["code"] for s in sent] == ["111111", "222222", "222222"]
    assert sent[-1]["display_name"] == "Lea"
    assert store.load() == StoredSession("new-access", "new-refresh")
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_login_with_json_prints_the_user_and_no_token(run: Run, api: FakeApi) -> None:
    code_flow(api, httpx.Response(200, json={**SIGNED_UP, "signed_up": False}))

    result = run("login", "--json", input=f"{PHONE}\n123456\n")

    assert result.exit_code == 0, result.stderr
    typed, _, printed = result.stdout.partition("{")  # CliRunner echoes typed input to stdout
    assert typed.split() == [PHONE, "123456"]
    answer = json.loads("{" + printed)
    assert answer == {"user": answer["user"], "signed_up": False}
    assert answer["user"]["connect_id"] == "K7Q-M2X-9HB"
    assert "Code from the SMS" in result.stderr  # prompts never on stdout


def test_contacts_token_in_the_environment_wins_over_the_stored_session(
    run: Run, api: FakeApi, signed_in: StoredSession
) -> None:
    api.on("GET", "/v1/users/me", httpx.Response(200, json=USER))

    result = run("whoami", "--json", env={"CONTACTS_TOKEN": "from-the-environment"})

    assert result.exit_code == 0, result.stderr
    [request] = api.sent("GET", "/v1/users/me")
    assert request.headers["Authorization"] == "Bearer from-the-environment"


def test_the_stored_session_is_used_and_a_renewal_is_written_back_at_once(
    run: Run, api: FakeApi, store: TokenStore, signed_in: StoredSession
) -> None:
    api.on("GET", "/v1/users/me",
           problem(401, "invalid_token", "The token has expired."),
           httpx.Response(200, json=USER))  # fmt: skip
    api.on("POST", "/v1/auth/refresh", httpx.Response(200, json={
        "access_token": "renewed-access", "refresh_token": "renewed-refresh", "expires_in": 900}))  # fmt: skip

    result = run("whoami")

    assert result.exit_code == 0, result.stderr
    first, second = api.sent("GET", "/v1/users/me")
    assert first.headers["Authorization"] == "Bearer stored-access"
    assert second.headers["Authorization"] == "Bearer renewed-access"
    [refresh] = api.sent("POST", "/v1/auth/refresh")
    assert json.loads(refresh.content) == {"refresh_token": "stored-refresh"}
    assert store.load() == StoredSession("renewed-access", "renewed-refresh")


def test_logout_ends_the_session_on_the_server_and_removes_the_file(
    run: Run, api: FakeApi, store: TokenStore, signed_in: StoredSession
) -> None:
    api.on("POST", "/v1/auth/sign-out", httpx.Response(204))

    result = run("logout", env={"CONTACTS_TOKEN": "not-this-one"})

    assert result.exit_code == 0, result.stderr
    [sign_out] = api.sent("POST", "/v1/auth/sign-out")
    assert json.loads(sign_out.content) == {"refresh_token": "stored-refresh"}
    assert store.load() is None
    assert run("logout", "--json").stdout.strip() == '{\n  "signed_out": false\n}'
