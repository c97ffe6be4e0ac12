"""After an account closes, no platform table and no fresh reader of the directory's topics can
read the person's phone number or email back (docs/data-retention.md, "Personal data when an
account closes").

The person is invited by SMS and by email before signing up (both messages go out, naming the
number and the address in `InvitationSent`, then both invitations are accepted),
is then added by number through another user's pasted import and by ConnectID to a third
user's list, and closes the account. The test polls (bounded, no time asserted) until every
column of every service's schema and every record of `directory.users` and
`directory.companies` is free of the number and the email. `directory.users` gets timings
that let the broker's log cleaner act within seconds."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from contacts_events import topics
from contacts_events.topics import namespaced
from contacts_messaging.topic_plan import topic_spec
from contacts_servicekit.topic_settings import TopicSettings
from contacts_testing.all_services import running_services
from contacts_testing.auth import add_body, bearer
from contacts_testing.owned_world import STAFF, new_mobile, register_user
from contacts_testing.running_service import RunningService

from .personal_data_scan import (
    hurry_the_cleaner,
    outbox_rows_holding,
    partition_of,
    records_holding,
    tables_holding,
)

pytestmark = pytest.mark.e2e
BOUND_SECONDS = 90.0


@pytest.fixture(scope="module")
async def platform(
    postgres_admin_url: str, kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[dict[str, RunningService]]:
    folder = tmp_path_factory.mktemp("erasure")
    env = {"invitations": {"DEV_MESSAGES_DIR": str(folder)}, "importer": {"FALLBACK_REGION": "GB"}}
    async with running_services(
        postgres_admin_url, kafka_bootstrap, folder, env, shared_namespace=True
    ) as services:
        yield services


async def test_a_closed_accounts_number_and_email_are_nowhere_to_be_read(
    platform: dict[str, RunningService], postgres_admin_url: str, kafka_bootstrap: str
) -> None:
    namespace = platform["directory"].namespace
    users_topic = namespaced(topics.DIRECTORY_USERS, namespace)
    users = topic_spec(TopicSettings.load(), topics.DIRECTORY_USERS)  # as the services make it
    await hurry_the_cleaner(kafka_bootstrap, users_topic, users.configs)
    phone, email = new_mobile(), f"leaver-{uuid.uuid4().hex[:8]}@example.com"
    leaver = await known_everywhere(platform, phone, email)
    closed = await platform["directory"].http.delete("/v1/users/me", headers=bearer(leaver))
    assert closed.status_code == 204, closed.text

    schemas = [service.schema for service in platform.values()]
    long_lived = [users_topic, namespaced(topics.DIRECTORY_COMPANIES, namespace)]
    admin = await asyncpg.connect(postgres_admin_url)
    try:
        left: list[str] = []
        for _ in range(int(BOUND_SECONDS)):
            await a_record_after(
                platform["directory"], leaver, users.partitions
            )  # rolls its segment
            left = await tables_holding(admin, schemas, [phone, email])
            left += await records_holding(kafka_bootstrap, long_lived, [phone, email])
            if not left:
                return
            await asyncio.sleep(1)
        rows = await outbox_rows_holding(admin, schemas, [phone, email])
        raise AssertionError(f"the closed account's number or email is still in {left}: {rows}")
    finally:
        await admin.close()


async def known_everywhere(platform: dict[str, RunningService], phone: str, email: str) -> str:
    """Invite `phone` and `email`, register their owner, add them by number (pasted import) and
    by ConnectID; the new user's id once every service has acted on it."""
    directory, invitations = platform["directory"], platform["invitations"]
    inviters = [(await register_user(directory, name))["user_id"] for name in ("Ines", "Ivo")]
    for inviter, body in zip(inviters, [{"phone": phone}, {"channel": "email", "email": email}],
                             strict=True):  # fmt: skip
        invited = await invitations.http.post("/v1/invitations", json=body, headers=bearer(inviter))
        assert invited.status_code == 201, invited.text
    sent = "SELECT count(*) FROM invitations WHERE status = 'sent' AND inviter_id = ANY($1)"
    await invitations.until(  # their InvitationSent name the number and the email everywhere
        lambda: _equals(invitations.pool.fetchval(sent, [uuid.UUID(i) for i in inviters]), 2)
    )
    body = {"display_name": "Leaver", "phone": phone, "email": email}
    registered = await directory.http.post("/v1/users", json=body, headers=STAFF)
    assert registered.status_code == 201, registered.text
    leaver = registered.json()
    accepted = "SELECT count(*) FROM invitations WHERE status = 'accepted' AND invitee_user_id = $1"
    await invitations.until(
        lambda: _equals(invitations.pool.fetchval(accepted, uuid.UUID(leaver["user_id"])), 2)
    )
    await added_by_import(platform, phone)
    await added_by_connect_id(platform, leaver)
    return str(leaver["user_id"])


async def added_by_import(platform: dict[str, RunningService], phone: str) -> None:
    importer = platform["importer"]
    owner = (await register_user(platform["directory"], "Ola"))["user_id"]
    await importer.until(lambda: _known_to_importer(importer, phone))
    pasted = await importer.http.post(
        "/v1/imports/pasted", json={"text": f"{phone}\n{new_mobile()}"}, headers=bearer(owner)
    )
    assert pasted.status_code == 201, pasted.text
    rows = (
        "SELECT count(*) FROM import_row_statuses WHERE phone_e164 = $1 AND status = 'user_added'"
    )
    await importer.until(lambda: _equals(importer.pool.fetchval(rows, phone), 1), seconds=60)


async def added_by_connect_id(platform: dict[str, RunningService], leaver: dict[str, str]) -> None:
    contacts = platform["contacts"]
    owner = (await register_user(platform["directory"], "Omar"))["user_id"]
    known = "SELECT true FROM directory_users WHERE user_id = $1 AND active"
    await contacts.until(lambda: contacts.pool.fetchval(known, uuid.UUID(leaver["user_id"])))
    connect_id = leaver["connect_id"].replace("-", "")
    added = await contacts.http.post(
        "/v1/contacts", json=add_body(owner, connect_id), headers=bearer(owner)
    )
    assert added.status_code == 201, added.text


async def a_record_after(directory: RunningService, leaver: str, partitions: int) -> None:
    """Register users until one lands on the leaver's partition of `directory.users`: a segment
    rolls, and so becomes cleanable, only when a record is appended after `segment.ms`."""
    while True:
        user = await register_user(directory, "Filler")
        if partition_of(user["user_id"], partitions) == partition_of(leaver, partitions):
            return


async def _known_to_importer(importer: RunningService, phone: str) -> bool:
    query = "SELECT true FROM registered_users WHERE phone_e164 = $1 AND active"
    return bool(await importer.pool.fetchval(query, phone))


async def _equals(count: object, expected: int) -> bool:
    return await count == expected  # type: ignore[misc]
