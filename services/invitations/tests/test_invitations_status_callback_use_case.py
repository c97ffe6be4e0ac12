"""The SMS provider's status callback (handlers/sending/status.record_status) alone, on an
in-memory unit of work: no Postgres, no Kafka. The signed route on Postgres is proven by
test_invitations_delivery_faults.py (and its signature by tests/security)."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest
from contacts_channels.sms_callback import StatusUpdate
from contacts_events import EventContext, InvitationDeliveryFailed
from invitations_service.domain.invitation import SentMessage
from invitations_service.domain.policy import Policy
from invitations_service.handlers import inviting
from invitations_service.handlers.sending.status import record_status

from .fake_invitations_work import FakeInvitationsWork

pytestmark = pytest.mark.unit

QUEUED_IN = EventContext(correlation_id="the-invite", tenant="t1", actor="u1")
SID = "SM0123456789abcdef0123456789abcdef"


async def a_sent_message(
    work: FakeInvitationsWork, context: EventContext | None = QUEUED_IN
) -> SentMessage:
    invitation, _ = await inviting.invite(
        work, Policy(country_allow_list=False), EventContext(), uuid.uuid4(), uuid.uuid4(),
        "sms", "+33612345678", None, None,
    )  # fmt: skip
    work.stored[invitation.invitation_id] = replace(invitation, status="sent", send_count=2)
    work.events.clear()
    work.contexts.clear()
    message = SentMessage(uuid.uuid4(), invitation.invitation_id, invitation.inviter_id, 2, context)
    work.with_provider[SID] = message
    return message


async def test_a_failure_after_the_provider_took_the_message_is_announced_in_the_invites_context() -> (
    None
):
    work = FakeInvitationsWork()
    message = await a_sent_message(work)

    assert await record_status(work, StatusUpdate(SID, "undelivered", "30003")) is True

    assert work.stored[message.invitation_id].status == "delivery_failed"
    assert work.failed_deliveries == {message.delivery_id: "provider: undelivered 30003"}
    [failed] = work.events
    assert isinstance(failed, InvitationDeliveryFailed)
    assert (failed.invitation_id, failed.attempt, failed.reason_code, failed.will_retry) == (
        message.invitation_id, 2, "provider_undelivered", False,
    )  # fmt: skip
    assert failed.reason == "The SMS provider reported the message undelivered (error 30003)."
    assert work.contexts == [QUEUED_IN]


async def test_a_second_callback_of_the_same_failure_changes_nothing() -> None:
    work = FakeInvitationsWork()
    await a_sent_message(work)
    await record_status(work, StatusUpdate(SID, "failed", None))

    assert await record_status(work, StatusUpdate(SID, "failed", None)) is True
    assert len(work.events) == 1


async def test_a_delivered_message_or_an_unknown_id_changes_nothing() -> None:
    work = FakeInvitationsWork()
    message = await a_sent_message(work)

    assert await record_status(work, StatusUpdate(SID, "delivered", None)) is True
    assert await record_status(work, StatusUpdate("SMunknown", "failed", None)) is False
    assert work.events == [] and work.failed_deliveries == {}
    assert work.stored[message.invitation_id].status == "sent"


async def test_an_invitation_closed_meanwhile_stays_closed_and_the_failure_is_still_told() -> None:
    work = FakeInvitationsWork()
    message = await a_sent_message(work, context=None)  # queued before contexts were kept
    closed = replace(work.stored[message.invitation_id], status="accepted")
    work.stored[message.invitation_id] = closed

    await record_status(work, StatusUpdate(SID, "failed", None))

    assert work.stored[message.invitation_id].status == "accepted"
    [context] = work.contexts  # a context of its own: nothing was kept to carry on
    assert len(work.events) == 1 and context is not None and context.tenant is None
