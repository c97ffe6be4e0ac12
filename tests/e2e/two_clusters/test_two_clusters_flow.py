"""A database per service: the platform runs with contacts and importer on one Postgres cluster
and directory and invitations on another. A flow across all four works (sign-up, a contact
added by number, an invitation accepted), each schema lives on its cluster only, and the
operator tools read every service's database: `contacts-status` all four outboxes, `contacts-dlt`
each consumer group's inbox."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from contacts_messaging.kafka import make_producer
from contacts_testing.local_platform import SERVICE_NAMES, LocalPlatform
from contacts_testing.platform_client import PlatformClient, eventually

pytestmark = pytest.mark.e2e

BIN = Path(sys.executable).parent


def tool(command: str, *args: str, env: dict[str, str] | None = None) -> tuple[int, Any]:
    done = subprocess.run([str(BIN / command), *args, "--json"], capture_output=True, text=True,
                          timeout=90, check=False, env={**os.environ, **(env or {})})  # fmt: skip
    return done.returncode, json.loads(done.stdout)


def database_options(platform: LocalPlatform, names: tuple[str, ...]) -> list[str]:
    """`--database NAME=URL` for each service named: a superuser of the cluster holding it."""
    return [f"--database={name}={platform.postgres_of(name).admin_url}" for name in names]


async def schemas_on(cluster_url: str) -> set[str]:
    conn = await asyncpg.connect(cluster_url)
    try:
        rows = await conn.fetch("SELECT nspname FROM pg_namespace WHERE nspname = ANY($1)",
                                [*SERVICE_NAMES, "web"])  # fmt: skip
        return {row["nspname"] for row in rows}
    finally:
        await conn.close()


async def test_a_flow_across_services_on_two_clusters(
    platform: LocalPlatform, client: PlatformClient
) -> None:
    assert await schemas_on(platform.postgres.admin_url) == {"contacts", "importer", "web"}
    assert platform.second_postgres is not None
    assert await schemas_on(platform.second_postgres.admin_url) == {"directory", "invitations"}

    lea = await client.register("Lea", "+447400760001")  # the directory's sign-up, cluster 2
    await client.register("Max", "+447400760002")

    async def paste() -> Any:  # the importer (cluster 1) learns Max's number from an event
        created = await client.as_user(lea).imports.paste_numbers("07400 760002, 07400 760003")
        return await client.import_finished(lea, created.import_id)

    job = await eventually(paste, lambda j: j.counts["user_added"] == 1)
    assert job.counts["ready_to_invite"] == 1
    await client.until_contacts(lea, ["Max"])  # contacts, cluster 1

    invited = await client.as_user(lea).imports.invite_rows(job.import_id)
    assert invited.model_dump() == {"requested": 1, "skipped": 0}
    await eventually(lambda: client.pending(lea), lambda items: len(items) == 1)  # cluster 2
    await client.register("Noa", "+447400760003")  # accepts the invitation by joining
    await client.until_contacts(lea, ["Max", "Noa"])
    assert await client.pending(lea) == []


async def test_contacts_status_reads_every_services_outbox_on_its_cluster(
    platform: LocalPlatform,
) -> None:
    services = [f"--service={name}={platform.url(name)}" for name in SERVICE_NAMES]
    options = database_options(platform, SERVICE_NAMES)

    code, report = await asyncio.to_thread(
        tool, "contacts-status", *services, *options, "--bootstrap", platform.bootstrap,
        "--database-url", "postgresql://nobody:nothing@127.0.0.1:9/none",  # used by none
    )  # fmt: skip

    assert report["errors"] == {}
    assert code == 0
    assert [o["schema"] for o in report["outboxes"]] == list(SERVICE_NAMES)
    assert all(o["backlog"] is not None and o["error"] is None for o in report["outboxes"])


async def test_contacts_dlt_reads_each_groups_inbox_on_its_cluster(
    platform: LocalPlatform, client: PlatformClient
) -> None:
    await client.register("Ida", "+447400760010")  # something for every group to apply
    for group in ("contacts.directory", "importer.projections", "invitations.directory"):
        service = group.split(".")[0]
        applied = await _applied_event(platform, service, group)
        never = str(uuid.uuid4())
        await _dead_letter(platform.bootstrap, group, applied)
        await _dead_letter(platform.bootstrap, group, never)
        # one service's URL from its variable, the others from --database
        env = {"INVITATIONS_DATABASE_URL": platform.postgres_of("invitations").admin_url}
        code, listed = await asyncio.to_thread(
            tool, "contacts-dlt", "list", "--group", group, "--bootstrap", platform.bootstrap,
            *database_options(platform, ("contacts", "importer")), env=env,
        )  # fmt: skip
        assert code == 0
        assert listed["inbox"]["error"] is None
        assert listed["inbox"]["schema"] == service
        found = {letter["event_id"]: letter["applied"] for letter in listed["replayed"]}
        assert found == {applied: True, never: False}


async def _applied_event(platform: LocalPlatform, service: str, group: str) -> str:
    """An event the group applied: the newest row of its inbox, on its service's cluster."""

    async def newest() -> Any:
        conn = await asyncpg.connect(platform.postgres_of(service).admin_url)
        try:
            return await conn.fetchval(
                f'SELECT event_id::text FROM "{service}".inbox WHERE consumer = $1'
                " ORDER BY processed_at DESC LIMIT 1",
                group,
            )
        finally:
            await conn.close()

    found: str = await eventually(newest, bool)
    return found


async def _dead_letter(bootstrap: str, group: str, event_id: str) -> None:
    """A record on `<group>.dlt` as the consumer writes one, for the event `event_id`."""
    headers = [("ce_id", event_id.encode()), ("ce_type", b"io.connect.contacts.UserRegistered.v1"),
               ("dlt-original-topic", b"directory.users"), ("dlt-original-partition", b"0"),
               ("dlt-original-offset", b"0"), ("dlt-error", b"a handler error"),
               ("dlt-attempts", b"3"), ("dlt-consumer-group", group.encode())]  # fmt: skip
    producer = make_producer(bootstrap, "test-dead-letters")
    await producer.start()
    try:
        await (await producer.send(f"{group}.dlt", b"{}", key=b"k", headers=headers))
    finally:
        await producer.stop()
