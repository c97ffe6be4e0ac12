"""The API's use cases alone (invite, resend, delete), on an in-memory unit of work: no
Postgres, no Kafka. The same use cases on Postgres are proven by the integration tests."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from contacts_events import CancellationReason, EventContext, InvitationCancelled
from contacts_messaging.accounts.guard import AccountClosed
from contacts_servicekit.domain_errors import Conflicting, LimitReached, Missing, Refused
from invitations_service.domain.invitation import Invitation
from invitations_service.domain.invitee import Asked
from invitations_service.domain.policy import Policy
from invitations_service.handlers import inviting

from .fake_invitations_work import FakeInvitationsWork

pytestmark = pytest.mark.unit

POLICY = Policy(inviter_daily_cap=3, destination_daily_cap=2)
ASKED_IN = EventContext(correlation_id="invite-1", actor="user")
INVITER = uuid.uuid4()
MOBILE, OTHER_MOBILE = "+33612345678", "+33612345679"


async def invited(
    work: FakeInvitationsWork, phone: str = MOBILE, inviter: uuid.UUID = INVITER,
    policy: Policy = POLICY,
) -> tuple[Invitation, bool]:  # fmt: skip
    return await inviting.invite(
        work, policy, ASKED_IN, inviter, uuid.uuid4(), "sms", phone, None, "Ada"
    )


def limit_of(refused: pytest.ExceptionInfo[LimitReached]) -> str:
    return refused.value.policy.name if refused.value.policy else ""


async def test_an_invite_stores_a_pending_invitation_and_queues_its_first_message() -> None:
    work = FakeInvitationsWork()
    invitation, created = await invited(work)
    assert created and invitation.status == "pending" and invitation.invitee_name == "Ada"
    assert work.queued == [(invitation.invitation_id, "first", ASKED_IN)]
    assert (INVITER, MOBILE) in work.last_messages  # its cool-down started
    assert set(work.counts.values()) == {1}  # the inviter's and the destination's counters
    assert work.events == []  # announced when it is sent (the delivery worker)


async def test_asking_again_for_an_open_pair_returns_it_and_sends_nothing() -> None:
    work = FakeInvitationsWork()
    first, _ = await invited(work)
    again, created = await invited(work)
    assert (again, created) == (first, False)
    assert len(work.queued) == 1


async def test_a_closed_inviter_invites_no_one() -> None:
    work = FakeInvitationsWork()
    work.closed.add(INVITER)
    with pytest.raises(AccountClosed):
        await invited(work)
    assert work.stored == {}


async def test_a_country_the_tenant_may_not_invite_is_refused_before_any_limit_is_taken() -> None:
    work, company = FakeInvitationsWork(), uuid.uuid4()
    work.companies[INVITER], work.members[company] = company, ["BE"]
    with pytest.raises(Refused) as refused:
        await invited(work)
    assert (refused.value.code, refused.value.field) == ("country_not_allowed", "phone")
    assert work.last_messages == {} and work.counts == {}


async def test_a_number_that_cannot_take_an_sms_is_refused_on_the_phone_field() -> None:
    asked = Asked.of("sms", "+33 1 23 45 67 89", None, None)  # a landline
    with pytest.raises(Refused) as refused:
        await inviting.invite_asked(
            FakeInvitationsWork(), POLICY, ASKED_IN, INVITER, uuid.uuid4(), asked, None
        )
    assert (refused.value.code, refused.value.field) == ("not_mobile", "phone")


async def test_inviting_again_after_a_delete_waits_for_the_cool_down() -> None:
    work = FakeInvitationsWork()
    first, _ = await invited(work)
    await inviting.cancel(work, INVITER, first.invitation_id)
    with pytest.raises(LimitReached) as refused:
        await invited(work)
    assert limit_of(refused) == "resend_cooldown"
    assert refused.value.retry_after == 600


async def test_the_inviters_daily_cap_refuses_the_next_new_invitation() -> None:
    work = FakeInvitationsWork()
    for n in range(3):
        await invited(work, f"+3361234560{n}")
    with pytest.raises(LimitReached) as refused:
        await invited(work, "+33612345609")
    assert (limit_of(refused), refused.value.code) == ("inviter_daily_cap", "rate_limited")


async def test_a_resend_queues_one_more_message_once_the_cool_down_is_over() -> None:
    work = FakeInvitationsWork()
    invitation, _ = await invited(work, policy=Policy(resend_cooldown=timedelta(0)))
    work.queued.clear()  # the first message went out
    resent_in = EventContext(correlation_id="resend-1")
    found = await inviting.resend(work, Policy(resend_cooldown=timedelta(0)), resent_in,
                                  INVITER, invitation.invitation_id)  # fmt: skip
    assert found == invitation
    assert work.queued == [(invitation.invitation_id, "resend", resent_in)]


async def test_a_resend_is_refused_while_a_message_is_on_its_way_or_inside_the_cool_down() -> None:
    work = FakeInvitationsWork()
    invitation, _ = await invited(work)
    with pytest.raises(Conflicting, match="being sent"):
        await inviting.resend(work, POLICY, ASKED_IN, INVITER, invitation.invitation_id)
    work.queued.clear()
    with pytest.raises(LimitReached) as refused:
        await inviting.resend(work, POLICY, ASKED_IN, INVITER, invitation.invitation_id)
    assert limit_of(refused) == "resend_cooldown"


async def test_a_resend_past_the_destinations_daily_cap_says_when_to_try_again() -> None:
    work, policy = (
        FakeInvitationsWork(),
        Policy(resend_cooldown=timedelta(0), destination_daily_cap=1),
    )
    invitation, _ = await invited(work, policy=policy)
    work.queued.clear()
    with pytest.raises(LimitReached) as refused:
        await inviting.resend(work, policy, ASKED_IN, INVITER, invitation.invitation_id)
    assert limit_of(refused) == "destination_daily_cap"
    assert "it can be invited again tomorrow" in refused.value.message


async def test_a_delete_closes_the_invitation_drops_its_messages_and_announces_it() -> None:
    work = FakeInvitationsWork()
    invitation, _ = await invited(work)
    await inviting.cancel(work, INVITER, invitation.invitation_id)
    assert work.statuses() == {MOBILE: "cancelled"}
    assert work.queued == []
    assert work.events == [
        InvitationCancelled(
            invitation_id=invitation.invitation_id, inviter_id=INVITER,
            request_id=invitation.request_id, reason=CancellationReason.DELETED_BY_INVITER,
        )
    ]  # fmt: skip


async def test_another_users_or_a_closed_invitation_is_missing() -> None:
    work = FakeInvitationsWork()
    invitation, _ = await invited(work)
    with pytest.raises(Missing):
        await inviting.cancel(work, uuid.uuid4(), invitation.invitation_id)
    await inviting.cancel(work, INVITER, invitation.invitation_id)
    with pytest.raises(Missing):
        await inviting.resend(work, POLICY, ASKED_IN, INVITER, invitation.invitation_id)
    assert work.event_names() == ["InvitationCancelled"]


async def test_the_pending_list_is_newest_first_and_leaves_closed_ones_out() -> None:
    work = FakeInvitationsWork()
    first, _ = await invited(work)
    second, _ = await invited(work, OTHER_MOBILE)
    closed, _ = await invited(work, "+33612345670")
    await inviting.cancel(work, INVITER, closed.invitation_id)
    page = await inviting.pending_page(work, INVITER, None, 10)
    assert page == sorted([first, second], key=lambda i: (i.created_at, i.invitation_id),
                          reverse=True)  # fmt: skip
    assert await inviting.pending_page(work, uuid.uuid4(), None, 10) == []


def test_an_invite_without_its_channels_destination_is_refused_naming_the_field() -> None:
    with pytest.raises(Refused) as refused:
        Asked.of("email", "+33612345678", None, None)
    assert (refused.value.code, refused.value.field) == ("email_required", "email")
    assert Asked.of("sms", MOBILE, "a@example.com", " Ada ") == Asked("sms", MOBILE, None, "Ada")
