"""The contacts service's event handlers called alone, as module-level functions: a model
instance, its envelope, a connection of a real Postgres schema and the outbox, with no Kafka
and no inbox (the consumer groups around them: test_contacts_from_events.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg
import pytest
from contacts_events import (
    AcceptanceMatch,
    ContactSource,
    DeactivationReason,
    ImportRowMatched,
    ImportSource,
    InvitationAccepted,
    InvitationChannel,
    UserDeactivated,
    UserRegistered,
)
from contacts_events.base import IntegrationEvent
from contacts_events.connect_id import generate
from contacts_events.envelope import CloudEvent, EventContext
from contacts_messaging.accounts import store as closed_accounts
from contacts_messaging.outbox import Outbox
from contacts_service.entrypoints.app import OWN_MIGRATIONS
from contacts_service.handlers.additions import import_row_matched, invitation_accepted
from contacts_service.handlers.closures import remove_from_every_list
from contacts_service.handlers.projections import user_profile
from contacts_servicekit.migrations import migrate
from contacts_testing.lock_race import outbox_names

pytestmark = pytest.mark.integration
OUTBOX = Outbox("/tests")


@pytest.fixture
async def conn(schema_pool: asyncpg.Pool, service_schema: str):
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, OWN_MIGRATIONS)
        async with conn.transaction():  # as the inbox runs them; the outbox requires one
            yield conn


def envelope(data: IntegrationEvent) -> CloudEvent:
    return CloudEvent.wrap(data, source="/tests", context=EventContext(correlation_id="c-1"))


def matched(owner: uuid.UUID, user: uuid.UUID) -> ImportRowMatched:
    return ImportRowMatched(import_id=uuid.uuid4(), owner_id=owner, source=ImportSource.PASTED,
                            row_number=1, matched_user_id=user)  # fmt: skip


async def personal(conn: asyncpg.Connection, owner: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    rows = await conn.fetch("SELECT contact_user_id, source FROM contacts WHERE owner_id = $1",
                            owner)  # fmt: skip
    return [(row["contact_user_id"], row["source"]) for row in rows]


async def test_a_matched_row_adds_the_contact_once_and_announces_it_caused_by_the_row(conn):
    owner, user = uuid.uuid4(), uuid.uuid4()
    match = matched(owner, user)
    row = envelope(match)

    await import_row_matched(match, row, conn, OUTBOX)
    await import_row_matched(match, row, conn, OUTBOX)  # the contact exists: nothing more

    assert await personal(conn, owner) == [(user, ContactSource.PHONE_IMPORT.value)]
    assert await outbox_names(conn) == ["ContactAdded"]
    headers = await conn.fetchval("SELECT headers FROM outbox")
    assert f'"{row.id}"' in headers and '"c-1"' in headers  # causation and correlation


async def test_an_accepted_invitation_adds_both_ways(conn):
    inviter, invitee = uuid.uuid4(), uuid.uuid4()
    accepted = InvitationAccepted(
        invitation_id=uuid.uuid4(), inviter_id=inviter, invitee_user_id=invitee,
        channel=InvitationChannel.SMS, matched_by=AcceptanceMatch.PHONE,
    )  # fmt: skip

    await invitation_accepted(accepted, envelope(accepted), conn, OUTBOX)

    assert await personal(conn, inviter) == [(invitee, ContactSource.INVITATION.value)]
    assert await personal(conn, invitee) == [(inviter, ContactSource.INVITATION.value)]
    assert await outbox_names(conn) == ["ContactAdded", "ContactAdded"]


async def test_nothing_is_added_with_a_closed_account(conn):
    owner, user = uuid.uuid4(), uuid.uuid4()
    await closed_accounts.record_closed(conn, user, DeactivationReason.CLOSED_BY_USER.value)
    match = matched(owner, user)

    await import_row_matched(match, envelope(match), conn, OUTBOX)

    assert await personal(conn, owner) == []
    assert await outbox_names(conn) == []


async def test_a_closure_removes_the_user_from_every_list_and_tells_each_owner(conn):
    first, second, leaving = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    for owner in (first, second):
        match = matched(owner, leaving)
        await import_row_matched(match, envelope(match), conn, OUTBOX)
    closed = UserDeactivated(user_id=leaving, reason=DeactivationReason.CLOSED_BY_USER)

    await remove_from_every_list(closed, envelope(closed), conn, OUTBOX)

    assert await personal(conn, first) == [] and await personal(conn, second) == []
    assert await outbox_names(conn) == ["ContactAdded"] * 2 + ["ContactRemoved"] * 2


async def test_a_registration_is_projected_as_of_its_envelope_time(conn):
    user = UserRegistered(user_id=uuid.uuid4(), connect_id=generate(), display_name="Ada",
                          phone_e164="+447400123456")  # fmt: skip
    registered = envelope(user).model_copy(update={"time": datetime(2030, 1, 2, tzinfo=UTC)})

    await user_profile(user, registered, conn, None)

    row = await conn.fetchrow("SELECT * FROM directory_users WHERE user_id = $1", user.user_id)
    assert row["display_name"] == "Ada" and row["connect_id"] == user.connect_id
    assert row["version"] == registered.time  # an older profile, redelivered late, loses
