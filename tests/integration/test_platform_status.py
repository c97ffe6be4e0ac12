"""`contacts-status` and `contacts-dlt` against a service run as a real process: the JSON shows
the service ready, its outbox, its consumer groups' lag and a poison message's dead letter,
which a replay sends back (and, unfixed, it comes back to the dead-letter topic)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from contacts_events import UserRegistered
from contacts_events.connect_id import generate
from contacts_events.envelope import CloudEvent, EventContext
from contacts_events.kafka_binding import to_record
from contacts_messaging.kafka import make_producer
from contacts_testing.running_service import RunningService, running_service

pytestmark = pytest.mark.integration

BIN = Path(sys.executable).parent


def run(command: str, *args: str) -> tuple[int, Any]:
    done = subprocess.run([str(BIN / command), *args, "--json"], capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    return done.returncode, json.loads(done.stdout)


async def status(svc: RunningService, admin_url: str, bootstrap: str, *extra: str) -> Any:
    args = ("--service", f"contacts={svc.process.url}", "--schema", svc.schema,
            "--database-url", admin_url, "--bootstrap", bootstrap, "--namespace", svc.namespace,
            *extra)  # fmt: skip
    return await asyncio.to_thread(run, "contacts-status", *args)


async def send_poison(bootstrap: str, namespace: str) -> None:
    """A UserRegistered whose payload is not JSON: the contacts consumer dead-letters it."""
    event = UserRegistered(user_id=uuid.uuid4(), connect_id=generate(), display_name="Poison",
                           phone_e164="+447400900003")  # fmt: skip
    record = to_record(CloudEvent.wrap(event, source="/tests", context=EventContext()))
    producer = make_producer(bootstrap, "test-poison")
    await producer.start()
    try:
        topic = f"{namespace}.{record.topic}"
        await (await producer.send(topic, b"{not json", key=record.key, headers=record.headers))
    finally:
        await producer.stop()


async def test_status_json_shows_the_service_its_outbox_lag_and_dead_letters(
    postgres_admin_url, kafka_bootstrap, tmp_path
):
    async with running_service("contacts", postgres_admin_url, kafka_bootstrap, tmp_path) as svc:
        group = f"{svc.namespace}.contacts.directory"
        dlt = f"{group}.dlt"
        accounts_dlt = f"{svc.namespace}.contacts.accounts.dlt"  # reads directory.users too
        await send_poison(kafka_bootstrap, svc.namespace)

        async def dead_lettered() -> Any:
            code, report = await status(svc, postgres_admin_url, kafka_bootstrap)
            dead = {d["topic"]: d.get("messages") for d in report["dead_letters"]}
            return (code, report) if dead.get(dlt) == dead.get(accounts_dlt) == 1 else None

        code, report = await svc.until(dead_lettered, seconds=60)
        assert code == 0
        assert report["healthy"] is True
        assert report["errors"] == {}
        [service] = report["services"]
        assert (service["name"], service["up"], service["ready"]) == ("contacts", True, True)
        assert service["checks"] == {"postgres": "ok", "kafka": "ok", "work": "ok"}
        assert report["outboxes"] == [
            {"schema": svc.schema, "backlog": 0, "oldest_age_seconds": 0.0, "error": None}
        ]
        groups = {g["group"]: g for g in report["consumer_groups"]}
        assert groups[group]["lag"] == 0  # the poison's offset was committed once dead-lettered
        assert f"{svc.namespace}.directory.users" in groups[group]["topics"]
        dead = {d["topic"]: d for d in report["dead_letters"]}
        assert dead[dlt] == {"topic": dlt, "group": group, "messages": 1, "not_replayed": 1}
        assert {d["messages"] for t, d in dead.items() if t not in (dlt, accounts_dlt)} == {0}

        code, replay = await asyncio.to_thread(
            run, "contacts-dlt", "replay", "--group", group, "--bootstrap", kafka_bootstrap
        )
        assert code == 0
        assert [r["event_type"] for r in replay["replayed"]] == [
            "io.connect.contacts.UserRegistered.v1"
        ]

        async def back_again() -> Any:  # not fixed: it is dead-lettered once more
            _, report = await status(svc, postgres_admin_url, kafka_bootstrap)
            found = {d["topic"]: d for d in report["dead_letters"]}[dlt]
            return found if found["messages"] == 2 else None

        assert await svc.until(back_again, seconds=60) == {
            "topic": dlt,
            "group": group,
            "messages": 2,
            "not_replayed": 1,
        }


async def test_status_exits_1_when_a_service_does_not_answer(
    postgres_admin_url, kafka_bootstrap, tmp_path
):
    async with running_service("contacts", postgres_admin_url, kafka_bootstrap, tmp_path) as svc:
        code, report = await status(svc, postgres_admin_url, kafka_bootstrap,
                                    "--service", "ghost=http://127.0.0.1:9")  # fmt: skip
    assert code == 1
    assert report["healthy"] is False
    states = {s["name"]: (s["up"], s["ready"]) for s in report["services"]}
    assert states == {"contacts": (True, True), "ghost": (False, False)}
