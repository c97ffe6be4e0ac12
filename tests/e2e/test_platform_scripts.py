"""The README's run command: the whole platform from the local scripts, on its own ports."""

from __future__ import annotations

import os
import shutil
import subprocess

import asyncpg
import httpx
import pytest
from contacts_events import topics
from contacts_servicekit.auth import mint_token
from contacts_servicekit.settings import AuthSettings
from contacts_testing.infra import REPO_ROOT, TEST_STATE_DIR
from contacts_testing.kafka_reader import read_topic

pytestmark = pytest.mark.e2e

PORT_BASE = 28000


def bearer(sub: str, *roles: str) -> dict[str, str]:
    auth = AuthSettings()
    token = mint_token(sub, secret=auth.jwt_secret.get_secret_value(), roles=roles,
                       issuer=auth.jwt_issuer, audience=auth.jwt_audience)  # fmt: skip
    return {"Authorization": f"Bearer {token}"}


SERVICES = {"directory": 28001, "contacts": 28002, "importer": 28003, "invitations": 28004}


@pytest.fixture(scope="module")
def platform():
    state = TEST_STATE_DIR / "e2e-platform"
    shutil.rmtree(state, ignore_errors=True)
    env = {
        **os.environ,
        "CONTACTS_STATE_DIR": str(state),
        "KAFKA_PORT": "29292",
        "PG_PORT": "25532",
        "SERVICE_PORT_BASE": str(PORT_BASE),
    }
    script = str(REPO_ROOT / "deploy" / "local" / "platform.sh")
    up = subprocess.run([script, "up"], env=env, capture_output=True, text=True, timeout=300)
    try:
        assert up.returncode == 0, up.stderr[-3000:]
        yield up.stdout, env
    finally:
        subprocess.run([script, "down"], env=env, capture_output=True, timeout=120)


def test_up_prints_where_each_service_listens(platform):
    stdout, _ = platform
    for name, port in SERVICES.items():
        assert f"{name}" in stdout
        assert f"http://127.0.0.1:{port}" in stdout
    assert "127.0.0.1:29292" in stdout  # Kafka
    assert "Logs:" in stdout


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_is_ready_with_postgres_and_kafka(platform, name):
    body = httpx.get(f"http://127.0.0.1:{SERVICES[name]}/ready", timeout=5).json()
    assert body == {"status": "ready", "service": name, "checks": {"postgres": "ok", "kafka": "ok"}}


async def test_each_service_runs_as_its_own_database_role_in_its_own_schema(platform):
    conn = await asyncpg.connect("postgresql://postgres:postgres@127.0.0.1:25532/contacts_platform")
    try:
        sessions = await conn.fetch(
            "SELECT DISTINCT application_name, usename FROM pg_stat_activity"
            " WHERE application_name = ANY($1::text[])",
            list(SERVICES),
        )
        assert {(r["application_name"], r["usename"]) for r in sessions} == {
            (name, f"{name}_svc") for name in SERVICES
        }
        for name in SERVICES:
            owner = await conn.fetchval(
                "SELECT tableowner FROM pg_tables WHERE schemaname = $1 AND tablename = 'outbox'",
                name,
            )
            assert owner == f"{name}_svc"
    finally:
        await conn.close()


def test_status_reports_each_service(platform):
    _, env = platform
    script = str(REPO_ROOT / "deploy" / "local" / "platform.sh")
    status = subprocess.run([script, "status"], env=env, capture_output=True, text=True, timeout=60)
    for name in SERVICES:
        assert f'"service":"{name}"' in status.stdout
    assert "kafka running" in status.stdout
    assert "postgres running" in status.stdout


async def test_two_users_register_and_find_each_other_by_connect_id(platform):
    """Issue 3's acceptance: through the running platform, over HTTP, with the event on Kafka."""
    base = f"http://127.0.0.1:{SERVICES['directory']}"
    staff = bearer("signup-backend", "service")
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        alice = await http.post(
            "/v1/users", json={"display_name": "Alice", "phone": "+447400111222"}, headers=staff
        )
        bob = await http.post(
            "/v1/users", json={"display_name": "Bob", "phone": "+447400333444"}, headers=staff
        )
        assert alice.status_code == bob.status_code == 201
        found = await http.get(
            f"/v1/connect-ids/{bob.json()['connect_id']}", headers=bearer(alice.json()["user_id"])
        )
        assert found.json()["display_name"] == "Bob"
        assert "phone" not in found.json()
        cid = bob.json()["connect_id"].replace("-", "")
        typo = cid[:-1] + ("2" if cid[-1] != "2" else "3")
        refused = await http.get(f"/v1/connect-ids/{typo}", headers=bearer(alice.json()["user_id"]))
        assert refused.status_code == 422

    records = await read_topic("127.0.0.1:29292", topics.DIRECTORY_USERS, expect=2, seconds=30)
    registered = {r.key.decode(): dict(r.headers) for r in records}
    assert set(registered) == {alice.json()["user_id"], bob.json()["user_id"]}
    for headers in registered.values():
        assert headers["ce_specversion"] == b"1.0"
        assert headers["ce_type"] == b"io.connect.contacts.UserRegistered.v1"
        assert headers["ce_source"] == b"/services/directory"
        assert {"ce_id", "ce_time", "ce_correlationid", "ce_subject"} <= set(headers)
