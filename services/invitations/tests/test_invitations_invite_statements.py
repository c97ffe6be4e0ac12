"""The statements an API invite runs, on Postgres: the request's or the open invitation in one
look-up, both daily caps in one statement, and the invitation stored with its first message
queued in one statement (bench/README.md, "write to event": an invite's round trips)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from contacts_events import EventContext
from contacts_servicekit.migrations import discover, migrate
from invitations_service.adapters.unit_of_work import PostgresInvitationsWork
from invitations_service.domain.invitation import NewInvitation
from invitations_service.entrypoints.app import MIGRATIONS

pytestmark = pytest.mark.integration
DAY = date(2026, 12, 6)
INVITER, DESTINATION = ("inviter", "i-1"), ("destination", "+33612349201")


@pytest.fixture
async def pool(schema_pool, service_schema):
    async with schema_pool.acquire() as conn:
        await migrate(conn, service_schema, discover("invitations", MIGRATIONS))
    return schema_pool


def new_invitation(inviter_id: uuid.UUID, phone: str) -> NewInvitation:
    return NewInvitation(
        uuid.uuid4(), inviter_id, uuid.uuid4(), None, "sms", phone, None, "Ada", uuid.uuid4().hex,
        datetime.now(UTC) + timedelta(days=30),
    )  # fmt: skip


async def counts(pool) -> dict[tuple[str, str], int]:
    rows = await pool.fetch("SELECT scope, subject, count FROM daily_sends WHERE day = $1", DAY)
    return {(r["scope"], r["subject"]): r["count"] for r in rows}


class Refused(Exception):
    pass


async def test_both_daily_caps_are_taken_at_once_and_the_first_at_its_cap_is_named(pool):
    async def take(inviter_cap: int, destination_cap: int):
        """As `invite` takes them: a refusal rolls the transaction back."""
        try:
            async with pool.acquire() as conn, conn.transaction():
                work = PostgresInvitationsWork(conn)
                at_cap = await work.daily_sends.take_daily(
                    [(INVITER, inviter_cap), (DESTINATION, destination_cap)], DAY
                )
                if at_cap is not None:
                    raise Refused(at_cap)
                return None
        except Refused as refused:
            return refused.args[0]

    assert await take(2, 2) is None
    assert await counts(pool) == {INVITER: 1, DESTINATION: 1}
    assert await take(2, 2) is None
    assert await counts(pool) == {INVITER: 2, DESTINATION: 2}
    assert await take(2, 5) == INVITER
    assert await take(5, 2) == DESTINATION
    assert await take(2, 2) == INVITER  # both at their caps: the first in the order given
    assert await take(3, 0) == DESTINATION  # a cap of 0 refuses even a first send
    assert await counts(pool) == {INVITER: 2, DESTINATION: 2}
    assert await take(3, 3) is None
    assert await counts(pool) == {INVITER: 3, DESTINATION: 3}


async def test_a_take_with_a_key_at_its_cap_counts_the_others_until_the_caller_rolls_back(pool):
    async with pool.acquire() as conn, conn.transaction():
        work = PostgresInvitationsWork(conn)
        assert await work.daily_sends.take_daily([(INVITER, 5), (DESTINATION, 0)], DAY) == (
            DESTINATION
        )
        assert await counts(conn) == {INVITER: 1}  # the caller refuses, and rolls back
        assert await work.daily_sends.take_daily([(DESTINATION, 1)], DAY) is None
        assert await counts(conn) == {INVITER: 1, DESTINATION: 1}


async def test_the_requests_invitation_comes_before_the_open_one_to_the_destination(pool):
    inviter = uuid.uuid4()
    context = EventContext(correlation_id="c-1", actor=str(inviter))
    async with pool.acquire() as conn, conn.transaction():
        work = PostgresInvitationsWork(conn)
        first = await work.invitations.insert(new_invitation(inviter, "+33612349202"), context)
        second = await work.invitations.insert(new_invitation(inviter, "+33612349203"), context)
        await work.invitations.close(first.invitation_id, "cancelled")

        # the request of the (closed) first, asking for the second's destination
        found = await work.invitations.existing(first.request_id, inviter, "+33612349203")
        assert found is not None and found.invitation_id == first.invitation_id
        found = await work.invitations.existing(uuid.uuid4(), inviter, "+33612349203")
        assert found is not None and found.invitation_id == second.invitation_id
        assert await work.invitations.existing(uuid.uuid4(), inviter, "+33612349202") is None
        assert await work.invitations.existing(uuid.uuid4(), uuid.uuid4(), "+33612349203") is None


async def test_an_invitation_is_stored_with_its_first_message_queued_in_the_requests_context(
    pool,
):
    inviter = uuid.uuid4()
    new = new_invitation(inviter, "+33612349204")
    context = EventContext(correlation_id="c-2", causation_id="k-2", tenant="t-2", actor="a-2")
    async with pool.acquire() as conn, conn.transaction():
        stored = await PostgresInvitationsWork(conn).invitations.insert(new, context)

    assert (stored.invitation_id, stored.status, stored.send_count) == (
        new.invitation_id, "pending", 0,
    )  # fmt: skip
    assert (stored.phone_e164, stored.invitee_name, stored.expires_at) == (
        new.phone_e164, new.invitee_name, new.expires_at,
    )  # fmt: skip
    rows = await pool.fetch(
        "SELECT kind, status, correlation_id, causation_id, tenant, actor FROM deliveries"
        " WHERE invitation_id = $1",
        new.invitation_id,
    )
    assert [tuple(r) for r in rows] == [("first", "queued", "c-2", "k-2", "t-2", "a-2")]
