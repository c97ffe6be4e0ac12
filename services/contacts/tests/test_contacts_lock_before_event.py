"""Each contacts use case decides its event from the state it holds locked, so a writer that
waited for another acts on what that one committed (docs/event-order-audit.md): the use case
functions on two connections of a real Postgres, the second one waiting for the first."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg
import pytest
from contacts_events import ContactSource, EventContext
from contacts_events.connect_id import ConnectId, generate
from contacts_messaging.accounts import store as closed_accounts
from contacts_messaging.outbox import Outbox
from contacts_service.adapters import contacts_repository, projection
from contacts_service.adapters.unit_of_work import PostgresContactsWork
from contacts_service.entrypoints.app import OWN_MIGRATIONS
from contacts_service.handlers import contacts
from contacts_servicekit.domain_errors import Missing
from contacts_servicekit.migrations import migrate
from contacts_testing.lock_race import Work, outbox_names, second_writer

pytestmark = pytest.mark.integration
OUTBOX = Outbox("/tests")


@pytest.fixture
async def pool(schema_pool: asyncpg.Pool, service_schema: str) -> asyncpg.Pool:
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, OWN_MIGRATIONS)
    return schema_pool


async def known_user(conn: asyncpg.Connection, name: str) -> tuple[uuid.UUID, ConnectId]:
    """A user the projection has heard of (active); their id and ConnectID."""
    user_id, connect_id = uuid.uuid4(), generate()
    await projection.upsert_user(conn, user_id, connect_id, name, datetime.now(UTC))
    return user_id, connect_id


async def test_two_archives_at_once_announce_one_contact_archived(pool):
    owner, contact = uuid.uuid4(), uuid.uuid4()
    async with pool.acquire() as conn:
        await contacts_repository.insert(conn, owner, contact, ContactSource.CONNECT_ID)

    async def archive(conn: asyncpg.Connection) -> object:
        work = PostgresContactsWork(conn)
        archived = await contacts.set_archived(work, owner, contact, True)
        await work.write_events(OUTBOX, EventContext())
        return archived

    async with pool.acquire() as first, pool.acquire() as second:
        async with first.transaction():
            await archive(first)
            archiving = await second_writer(first, second, archive)
        assert (await archiving).archived  # type: ignore[attr-defined]
        assert await outbox_names(first) == ["ContactArchived"]
        sizes = await first.fetch("SELECT list, n FROM list_sizes WHERE scope_id = $1", owner)
        assert {row["list"]: row["n"] for row in sizes} == {"active": 0, "archived": 1}


async def test_an_add_by_connect_id_waiting_for_the_contacts_closure_adds_nothing(pool):
    async with pool.acquire() as conn:
        owner, _ = await known_user(conn, "Ada")
        contact, connect_id = await known_user(conn, "Grace")

    async def add(conn: asyncpg.Connection) -> object:
        work = PostgresContactsWork(conn)
        added = await contacts.add_by_connect_id(work, owner, connect_id)
        await work.write_events(OUTBOX, EventContext())
        return added

    async with pool.acquire() as first, pool.acquire() as second:
        async with first.transaction():  # closed; the projection has not heard of it yet
            assert await closed_accounts.record_closed(first, contact, "closed_by_user")
            adding = await second_writer(first, second, add)
        with pytest.raises(Missing):
            await adding
        assert await outbox_names(first) == []
        assert await first.fetchval("SELECT count(*) FROM contacts") == 0


def add_after_holding_open(owner: uuid.UUID, contact: uuid.UUID) -> Work:
    """An add as the use cases and the additions consumer make one: both accounts held open,
    then the insert, which copies the contact's name from the projection."""

    async def add(conn: asyncpg.Connection) -> object:
        assert not await closed_accounts.hold_open(conn, (owner, contact))
        return await contacts_repository.insert(conn, owner, contact, ContactSource.INVITATION)

    return add


async def name_in_list(conn: asyncpg.Connection, owner: uuid.UUID, contact: uuid.UUID) -> str:
    return await conn.fetchval(
        "SELECT display_name FROM contacts WHERE owner_id = $1 AND contact_user_id = $2",
        owner, contact,
    )  # fmt: skip


async def test_an_add_waiting_for_the_contacts_registration_copies_their_name(pool):
    """The invitee registered (the projection's transaction is open) while the inviter's add
    of them runs: the add waits, then copies the name committed."""
    owner, invitee = uuid.uuid4(), uuid.uuid4()
    async with pool.acquire() as first, pool.acquire() as second:
        async with first.transaction():
            await projection.upsert_user(first, invitee, generate(), "Bob Invitee", datetime.now(UTC))  # fmt: skip
            adding = await second_writer(first, second, add_after_holding_open(owner, invitee))  # fmt: skip
        assert await adding
        assert await name_in_list(first, owner, invitee) == "Bob Invitee"


async def test_a_registration_waiting_for_an_add_of_the_user_fills_in_their_name(pool):
    """The add came first (the projection had not heard of the invitee: no name yet); the
    registration waits for it, then names the contact it added."""
    owner, invitee = uuid.uuid4(), uuid.uuid4()

    async def register(conn: asyncpg.Connection) -> object:
        return await projection.upsert_user(conn, invitee, generate(), "Bob Invitee", datetime.now(UTC))  # fmt: skip

    async with pool.acquire() as first, pool.acquire() as second:
        async with first.transaction():
            assert await (add_after_holding_open(owner, invitee))(first)
            assert await name_in_list(first, owner, invitee) is None
            registering = await second_writer(first, second, register)
        assert await registering
        assert await name_in_list(first, owner, invitee) == "Bob Invitee"
