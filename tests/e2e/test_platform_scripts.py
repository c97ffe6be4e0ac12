"""The README's run command: the whole platform from the local scripts, on its own ports."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import time

import asyncpg
import httpx
import pytest
from contacts_events import topics
from contacts_testing.auth import bearer
from contacts_testing.infra import REPO_ROOT, TEST_STATE_DIR
from contacts_testing.kafka_reader import read_topic

pytestmark = pytest.mark.e2e

PORT_BASE = 28000


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
    assert f"Open the web app: http://127.0.0.1:{PORT_BASE}" in stdout


def test_the_web_app_is_ready_and_opens_on_its_sign_in_page(platform):
    web = f"http://127.0.0.1:{PORT_BASE}"
    ready = httpx.get(f"{web}/ready", timeout=5).json()
    assert ready == {"status": "ready", "service": "web", "checks": {"postgres": "ok"}}
    page = httpx.get(web, timeout=5, follow_redirects=True)
    assert page.url.path == "/sign-in" and "Mobile number" in page.text


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_is_ready_with_postgres_and_kafka(platform, name):
    # `make up` waits for one ready answer; the directory and contacts run two processes by
    # default and each answers /ready for itself, so the second may still be joining Kafka
    # for a moment (its API already answers: writes go to the outbox).
    for _ in range(60):
        body = httpx.get(f"http://127.0.0.1:{SERVICES[name]}/ready", timeout=5).json()
        if body["status"] == "ready":
            break
        time.sleep(0.5)
    assert body == {
        "status": "ready",
        "service": name,
        "checks": {"postgres": "ok", "kafka": "ok", "work": "ok"},
    }


async def test_each_service_runs_as_its_own_database_role_in_its_own_schema(platform):
    conn = await asyncpg.connect("postgresql://postgres:postgres@127.0.0.1:25532/contacts_platform")
    try:
        sessions = await conn.fetch(
            "SELECT DISTINCT application_name, usename FROM pg_stat_activity"
            " WHERE application_name = ANY($1::text[])",
            [*SERVICES, "web"],
        )
        assert {(r["application_name"], r["usename"]) for r in sessions} == {
            (name, f"{name}_svc") for name in [*SERVICES, "web"]
        }
        web_owner = await conn.fetchval(
            "SELECT tableowner FROM pg_tables WHERE schemaname = 'web' AND tablename = 'sessions'"
        )
        assert web_owner == "web_svc"
        for name in SERVICES:
            owner = await conn.fetchval(
                "SELECT tableowner FROM pg_tables WHERE schemaname = $1 AND tablename = 'outbox'",
                name,
            )
            assert owner == f"{name}_svc"
    finally:
        await conn.close()


def test_status_reports_each_service_its_outbox_lag_and_dead_letters(platform):
    _, env = platform
    script = str(REPO_ROOT / "deploy" / "local" / "platform.sh")
    as_json = subprocess.run([script, "status", "--json"], env=env, capture_output=True,
                             text=True, timeout=60)  # fmt: skip
    assert as_json.returncode == 0, as_json.stdout + as_json.stderr
    report = json.loads(as_json.stdout)
    assert report["healthy"] is True
    assert {(s["name"], s["up"], s["ready"]) for s in report["services"]} == {
        (name, True, True) for name in [*SERVICES, "web"]
    }
    assert {o["schema"] for o in report["outboxes"] if o["backlog"] is not None} == set(SERVICES)
    assert {o["schema"] for o in report["outboxes"]} == set(SERVICES)  # the web app has none
    groups = {g["group"] for g in report["consumer_groups"]}
    assert {"contacts.directory", "importer.projections", "invitations.directory"} <= groups
    assert {d["topic"] for d in report["dead_letters"]} >= {f"{g}.dlt" for g in groups}

    table = subprocess.run([script, "status"], env=env, capture_output=True, text=True, timeout=60)
    assert table.returncode == 0
    assert "platform: healthy" in table.stdout
    for port in [*SERVICES.values(), PORT_BASE]:
        assert f"http://127.0.0.1:{port}" in table.stdout
    assert "kafka running" in table.stdout
    assert "postgres running" in table.stdout


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


async def test_contacts_by_connect_id_archive_unarchive_and_a_refused_colleague(platform):
    """Issue 4's acceptance: directory -> Kafka -> contacts, over HTTP, events in order."""
    staff = bearer("signup-backend", "service")
    directory = httpx.AsyncClient(base_url=f"http://127.0.0.1:{SERVICES['directory']}", timeout=10)
    contacts = httpx.AsyncClient(base_url=f"http://127.0.0.1:{SERVICES['contacts']}", timeout=10)
    async with directory, contacts:
        company = (
            await directory.post("/v1/companies", json={"name": "Acme"}, headers=staff)
        ).json()
        people = {}
        for name, phone, in_company in (("Dana", "+447400555001", True), ("Eli", "+447400555002", False),
                                        ("Fay", "+447400555003", True)):  # fmt: skip
            body = {"display_name": name, "phone": phone}
            if in_company:
                body["company_id"] = company["company_id"]
            people[name] = (await directory.post("/v1/users", json=body, headers=staff)).json()
        dana = bearer(people["Dana"]["user_id"])

        async def add_eli():  # as the apps do: the look-up's answer carries the add_token
            eli = people["Eli"]["connect_id"]
            found = (await directory.get(f"/v1/connect-ids/{eli}", headers=dana)).json()
            body = {"connect_id": eli, "add_token": found["add_token"]}
            return await contacts.post("/v1/contacts", json=body, headers=dana)

        added = await add_eli()
        for _ in range(100):  # the directory's events reach the contacts projection through Kafka
            if added.status_code != 404:
                break
            await asyncio.sleep(0.2)
            added = await add_eli()
        assert added.status_code == 201, added.text

        async def names(list_name):
            page = (
                await contacts.get("/v1/contacts", params={"list": list_name}, headers=dana)
            ).json()
            return [(c["display_name"], c["managed"]) for c in page["items"]]

        expected = [("Eli", False), ("Fay", True)]
        for _ in range(100):  # Fay's membership arrives on directory.companies, in its own time
            if await names("active") == expected:
                break
            await asyncio.sleep(0.2)
        assert await names("active") == expected
        eli_id, fay_id = people["Eli"]["user_id"], people["Fay"]["user_id"]
        assert (
            await contacts.post(f"/v1/contacts/{eli_id}/archive", headers=dana)
        ).status_code == 200
        assert await names("archived") == [("Eli", False)]
        assert await names("active") == [("Fay", True)]
        assert (
            await contacts.post(f"/v1/contacts/{eli_id}/unarchive", headers=dana)
        ).status_code == 200
        refused = await contacts.post(f"/v1/contacts/{fay_id}/archive", headers=dana)
        assert refused.status_code == 409
        assert "managed by your company" in refused.json()["detail"]

    records = await read_topic("127.0.0.1:29292", topics.CONTACTS, expect=3, seconds=30)
    dana_events = [dict(r.headers)["ce_type"].decode().split(".")[-2] for r in records
                   if r.key == people["Dana"]["user_id"].encode()]  # fmt: skip
    assert dana_events == ["ContactAdded", "ContactArchived", "ContactUnarchived"]


async def test_paste_numbers_invite_and_the_invitee_joins_across_all_four_services(platform):
    """Issues 5 and 6 through the running platform: directory -> importer -> contacts ->
    invitations -> directory -> invitations -> contacts, all through Kafka."""
    staff = bearer("signup-backend", "service")
    clients = {
        name: httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10)
        for name, port in SERVICES.items()
    }
    try:
        owner = (
            await clients["directory"].post(
                "/v1/users", json={"display_name": "Olga", "phone": "+447400700001"}, headers=staff
            )
        ).json()
        registered = await clients["directory"].post(
            "/v1/users", json={"display_name": "Finn", "phone": "+447400700002"}, headers=staff
        )
        assert registered.status_code == 201
        me = bearer(owner["user_id"])

        async def eventually(call, accept, seconds=60):
            for _ in range(seconds * 5):
                result = await call()
                if accept(result):
                    return result
                await asyncio.sleep(0.2)
            raise AssertionError(f"never accepted: {result}")

        async def imported():
            created = await clients["importer"].post(
                "/v1/imports/pasted",
                json={"text": "07400 700002, 07400 700003; 0207 123 4567"},
                headers=me,
            )
            return await eventually(
                lambda: clients["importer"].get(
                    f"/v1/imports/{created.json()['import_id']}", headers=me
                ),
                lambda r: r.json()["status"] == "completed",
            )

        # the importer learns of Olga's and Finn's numbers from the directory's events
        job = (await eventually(imported, lambda r: r.json()["counts"]["user_added"] == 1)).json()
        assert job["counts"]["ready_to_invite"] == 1
        assert job["counts"]["invalid"] == 1  # a landline

        await eventually(lambda: clients["contacts"].get("/v1/contacts", headers=me),
                         lambda r: [c["display_name"] for c in r.json()["items"]] == ["Finn"])  # fmt: skip
        invited = await clients["importer"].post(
            f"/v1/imports/{job['import_id']}/invitations", json={}, headers=me
        )
        assert invited.json() == {"requested": 1, "skipped": 0}
        pending = await eventually(lambda: clients["invitations"].get("/v1/invitations", headers=me),
                                   lambda r: r.json()["items"] and r.json()["items"][0]["send_count"] == 1)  # fmt: skip
        assert pending.json()["items"][0]["destination"] == "+447400700003"

        joined = await clients["directory"].post(
            "/v1/users", json={"display_name": "Nina", "phone": "+447400700003"}, headers=staff
        )
        assert joined.status_code == 201
        await eventually(
            lambda: clients["invitations"].get("/v1/invitations", headers=me),
            lambda r: r.json()["items"] == [],
        )
        await eventually(lambda: clients["contacts"].get("/v1/contacts", headers=me),
                         lambda r: [c["display_name"] for c in r.json()["items"]] == ["Finn", "Nina"])  # fmt: skip
        nina = bearer(joined.json()["user_id"])
        await eventually(lambda: clients["contacts"].get("/v1/contacts", headers=nina),
                         lambda r: [c["display_name"] for c in r.json()["items"]] == ["Olga"])  # fmt: skip
    finally:
        for client in clients.values():
            await client.aclose()
