"""The use cases events and periodic tasks drive (acceptance, an inviter's closure, expiry, a
batch of the importer's requests), on an in-memory unit of work: no Postgres, no Kafka."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from contacts_events import (
    AcceptanceMatch,
    CancellationReason,
    EventContext,
    InvitationAccepted,
    InvitationCancelled,
    InvitationExpired,
    InvitationRefused,
    UserRegistered,
)
from contacts_events.connect_id import generate
from invitations_service.domain.invitation import StagedRequest
from invitations_service.domain.policy import Policy
from invitations_service.handlers import inviting
from invitations_service.handlers.accepting import accept_matching
from invitations_service.handlers.closures import close_inviter
from invitations_service.handlers.expiry import expire_due
from invitations_service.handlers.sending.decide import handle_batch
from invitations_service.handlers.sending.requests import refused_invitation_id

from .fake_invitations_work import FakeInvitationsWork

pytestmark = pytest.mark.unit

POLICY = Policy(country_allow_list=False)
INVITER = uuid.uuid4()
PHONE, EMAIL = "+33612345678", "Zoe@Example.com"


async def invite(work: FakeInvitationsWork, phone: str | None = PHONE, email: str | None = None):  # type: ignore[no-untyped-def]
    channel = "sms" if phone else "email"
    invitation, _ = await inviting.invite(
        work, POLICY, EventContext(), INVITER, uuid.uuid4(), channel, phone, email, None
    )
    return invitation


def registered(phone: str | None = None, email: str | None = None, token: str | None = None):  # type: ignore[no-untyped-def]
    return UserRegistered(
        user_id=uuid.uuid4(), connect_id=generate(), display_name="Zoé", phone_e164=phone,
        email=email, invitation_token=token,
    )  # fmt: skip


async def test_a_new_user_accepts_the_invitations_to_their_number_address_or_token() -> None:
    work = FakeInvitationsWork()
    by_phone, by_email = await invite(work), await invite(work, None, EMAIL)
    by_token = await invite(work, "+33612345600")
    user = registered(PHONE, EMAIL.lower(), work.tokens[by_token.invitation_id])
    await accept_matching(work, user)
    accepted = {e.invitation_id: e for e in work.events if isinstance(e, InvitationAccepted)}
    assert {i: accepted[i.invitation_id].matched_by for i in (by_phone, by_email, by_token)} == {
        by_phone: AcceptanceMatch.PHONE, by_email: AcceptanceMatch.EMAIL,
        by_token: AcceptanceMatch.INVITATION_TOKEN,
    }  # fmt: skip
    assert accepted[by_phone.invitation_id].request_id == by_phone.request_id
    assert set(work.statuses().values()) == {"accepted"}
    assert work.queued == []  # their messages are never sent


async def test_a_closed_or_expired_invitation_is_never_accepted() -> None:
    work = FakeInvitationsWork()
    cancelled = await invite(work)
    await inviting.cancel(work, INVITER, cancelled.invitation_id)
    late = await invite(work, "+33612345600")
    work.stored[late.invitation_id] = replace(late, expires_at=datetime.now(UTC))
    work.events.clear()
    await accept_matching(work, registered(PHONE))
    await accept_matching(work, registered("+33612345600"))
    assert work.events == []


async def test_an_inviters_closure_refuses_their_waiting_requests_and_cancels_their_open_ones() -> (
    None
):
    work, other = FakeInvitationsWork(), uuid.uuid4()
    open_one = await invite(work)
    first, second = request(INVITER, "+33612345601", 1), request(INVITER, "+33612345603", 2)
    work.waiting = [first, request(other, "+33612345602"), second]
    work.events.clear()
    work.contexts.clear()
    await close_inviter(work, INVITER)
    assert [r.inviter_id for r in work.waiting] == [other]
    refused = [e for e in work.events if isinstance(e, InvitationRefused)]
    assert [(e.request_id, e.phone_e164, e.reason_code) for e in refused] == [
        (first.request_id, "+33612345601", "account_closed"),
        (second.request_id, "+33612345603", "account_closed"),
    ]
    assert refused[0].invitation_id == refused_invitation_id(first.request_id)
    assert (refused[0].import_id, refused[0].row_number) == (first.import_id, 1)
    contexts = [c for e, c in zip(work.events, work.contexts, strict=True)
                if isinstance(e, InvitationRefused)]  # fmt: skip
    assert [(c.correlation_id, c.causation_id) for c in contexts if c] == [
        ("import-1", str(first.event_id)),
        ("import-2", str(second.event_id)),
    ]
    assert [e for e in work.events if not isinstance(e, InvitationRefused)] == [
        InvitationCancelled(
            invitation_id=open_one.invitation_id, inviter_id=INVITER,
            request_id=open_one.request_id, reason=CancellationReason.INVITER_DEACTIVATED,
        )
    ]  # fmt: skip
    work.events.clear()
    await close_inviter(work, INVITER)  # redelivered: nothing more
    assert work.events == []


async def test_expiry_closes_the_invitations_past_their_date_and_forgets_ended_cool_downs() -> None:
    work = FakeInvitationsWork()
    due, kept = await invite(work), await invite(work, "+33612345600")
    work.stored[due.invitation_id] = replace(due, expires_at=datetime.now(UTC))
    work.last_messages[INVITER, PHONE] = datetime.now(UTC) - timedelta(hours=1)
    assert await expire_due(work, POLICY) == 1
    assert work.events == [
        InvitationExpired(
            invitation_id=due.invitation_id, inviter_id=INVITER, request_id=due.request_id
        )
    ]
    assert work.statuses() == {PHONE: "expired", "+33612345600": "pending"}
    assert list(work.last_messages) == [(INVITER, kept.phone_e164)]


def request(inviter: uuid.UUID, phone: str, row_number: int = 1) -> StagedRequest:
    return StagedRequest(
        uuid.uuid4(), uuid.uuid4(), f"import-{row_number}", None, "importer", inviter,
        uuid.uuid4(), row_number, "sms", phone, None, "Zoé",
    )  # fmt: skip


async def test_a_batch_creates_refuses_and_finds_in_order_each_in_its_requests_context() -> None:
    work, closed = FakeInvitationsWork(), uuid.uuid4()
    work.closed.add(closed)
    already = await invite(work, "+33612345600")
    batch = [request(INVITER, "+33612345601", 1), request(INVITER, "+33123456789", 2),
             request(INVITER, "+33612345600", 3), request(closed, "+33612345602", 4),
             request(INVITER, "+33612345601", 5)]  # fmt: skip
    refusals = await handle_batch(work, POLICY, batch)
    assert refusals == ["not_mobile", "account_closed"]
    created = [i for i in work.stored.values() if i.invitation_id != already.invitation_id]
    assert [(i.request_id, i.invitee_name) for i in created] == [(batch[0].request_id, "Zoé")]
    assert [q[2].correlation_id for q in work.queued[1:]] == ["import-1"]
    refused = [e for e in work.events if isinstance(e, InvitationRefused)]
    assert [(e.row_number, e.reason_code) for e in refused] == [
        (2, "not_mobile"),
        (4, "account_closed"),
    ]
    assert refused[0].invitation_id == refused_invitation_id(batch[1].request_id)
    assert [(c.correlation_id, c.causation_id) for c in work.contexts if c] == [
        ("import-2", str(batch[1].event_id)), ("import-4", str(batch[3].event_id)),
    ]  # fmt: skip
    assert (INVITER, "+33612345601") in work.last_messages


async def test_a_batch_holds_its_requests_to_the_daily_caps_counting_those_before() -> None:
    work = FakeInvitationsWork()
    batch = [request(INVITER, f"+3361234560{n}", n) for n in range(3)]
    refusals = await handle_batch(
        work, Policy(country_allow_list=False, inviter_daily_cap=2), batch
    )
    assert refusals == ["inviter_daily_cap"]
    assert len(work.stored) == 2
    assert sorted(work.counts.values()) == [1, 1, 2]  # two destinations, the inviter twice
