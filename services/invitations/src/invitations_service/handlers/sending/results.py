"""Recording what became of many delivery attempts in one transaction: the deliveries, the
invitations and their events (`InvitationSent`, `InvitationResent`, `InvitationDeliveryFailed`).

A result is recorded only if its delivery is still `sending` for that attempt; what was
recorded is returned, to be counted in the metrics once the transaction commits. A message
that went out is announced even if its invitation was accepted or cancelled meanwhile. Each event
carries the context its delivery was queued in (the correlation id of the invite, resend or
InvitationRequested that asked for the message); the events of deliveries queued before
contexts were kept share one new correlation id. All are written to the outbox at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import asyncpg
from contacts_channels import DeliveryFailure, SendResult, TemporaryFailure
from contacts_events import (
    EventContext,
    InvitationChannel,
    InvitationDeliveryFailed,
    InvitationResent,
    InvitationSent,
)
from contacts_events.base import IntegrationEvent
from contacts_messaging.outbox import Outbox

from invitations_service.adapters import deliveries_repository as deliveries
from invitations_service.adapters.delivery_context import context_of
from invitations_service.domain.policy import Policy

MAX_RETRY_AFTER = timedelta(minutes=5)  # the most a provider's Retry-After delays a retry
Announced = tuple[asyncpg.Record, IntegrationEvent]  # a delivery and an event about it


@dataclass(frozen=True)
class Attempt:
    """One claimed delivery (with its invitation's fields) and what became of it: sent,
    failed, or neither (never sent: its turn came too late in the lease)."""

    delivery: asyncpg.Record
    result: SendResult | None = None
    failure: DeliveryFailure | None = None


@dataclass
class Recorded:
    sent: list[str] = field(default_factory=list)  # the channel of each message recorded sent
    failed: list[tuple[str, bool]] = field(default_factory=list)  # (channel, given up)
    given_up: list[tuple[str, str]] = field(default_factory=list)  # (invitation_id, reason_code)
    given_back: int = 0  # claimed attempts never sent, queued again


async def record(
    conn: asyncpg.Connection, outbox: Outbox, policy: Policy, attempts: list[Attempt]
) -> Recorded:
    """Record `attempts` (inside the caller's transaction) and add their events."""
    recorded = Recorded()
    events = await _record_sent(conn, [a for a in attempts if a.result is not None], recorded)
    failed = [a for a in attempts if a.failure is not None]
    retried = [a for a in failed if _retried(a, policy)]
    await _record_retries(conn, policy, retried, recorded)
    given_up = [a for a in failed if not _retried(a, policy)]
    events += await _record_given_up(conn, given_up, recorded)
    unsent = [a for a in attempts if a.result is None and a.failure is None]
    await deliveries.give_back(conn, [_attempt(a) for a in unsent])
    recorded.given_back = len(unsent)
    if events:
        await outbox.add_each(conn, _in_their_contexts(events))
    return recorded


def _in_their_contexts(events: list[Announced]) -> list[tuple[IntegrationEvent, EventContext]]:
    """Each event with the context of its delivery (a new one, shared, for the old rows)."""
    new = EventContext()
    return [(event, context_of(row) or new) for row, event in events]


def _attempt(a: Attempt) -> deliveries.Attempt:
    return (a.delivery["delivery_id"], a.delivery["attempts"])


def _retried(a: Attempt, policy: Policy) -> bool:
    return (
        isinstance(a.failure, TemporaryFailure)
        and a.delivery["attempts"] < policy.max_delivery_attempts
    )


def _error(a: Attempt) -> str:
    assert a.failure is not None
    return f"{a.failure.reason_code}: {a.failure.reason}"


async def _record_sent(
    conn: asyncpg.Connection, sent: list[Attempt], recorded: Recorded
) -> list[Announced]:
    sends = await deliveries.mark_sent(
        conn, [(*_attempt(a), a.result.provider_message_id if a.result else None) for a in sent]
    )
    sent = [a for a in sent if a.delivery["delivery_id"] in sends]
    recorded.sent += [a.delivery["channel"] for a in sent]
    # Announced even if the invitation was accepted or cancelled while the message was in
    # flight: it went out. Consumers keep a closed invitation closed (the importer does).
    return [(a.delivery, _sent_event(a.delivery, sends[a.delivery["delivery_id"]])) for a in sent]


def _sent_event(row: asyncpg.Record, sends: int) -> IntegrationEvent:
    common = {
        "invitation_id": row["invitation_id"], "inviter_id": row["inviter_id"],
        "channel": InvitationChannel(row["channel"]), "phone_e164": row["phone_e164"],
        "email": row["email"], "expires_at": row["expires_at"],
    }  # fmt: skip
    if row["kind"] == "first":
        return InvitationSent(
            **common, request_id=row["request_id"], import_id=row["import_id"],
            display_name=row["invitee_name"] or None,
        )  # fmt: skip
    return InvitationResent(**common, resend_count=max(1, sends - 1))


async def _record_retries(
    conn: asyncpg.Connection, policy: Policy, retried: list[Attempt], recorded: Recorded
) -> None:
    def delay(a: Attempt) -> timedelta:
        wait = policy.retry_delay(a.delivery["attempts"])
        after = a.failure.retry_after if isinstance(a.failure, TemporaryFailure) else None
        return max(wait, min(MAX_RETRY_AFTER, timedelta(seconds=after or 0)))

    done = await deliveries.requeue(conn, [(*_attempt(a), delay(a), _error(a)) for a in retried])
    recorded.failed += [
        (a.delivery["channel"], False) for a in retried if a.delivery["delivery_id"] in done
    ]


async def _record_given_up(
    conn: asyncpg.Connection, given_up: list[Attempt], recorded: Recorded
) -> list[Announced]:
    done = await deliveries.mark_failed(conn, [(*_attempt(a), _error(a)) for a in given_up])
    given_up = [a for a in given_up if a.delivery["delivery_id"] in done]
    await deliveries.fail_pending(conn, [a.delivery["invitation_id"] for a in given_up])
    recorded.failed += [(a.delivery["channel"], True) for a in given_up]
    events: list[Announced] = []
    for a in given_up:
        row, failure = a.delivery, a.failure
        assert failure is not None
        recorded.given_up.append((str(row["invitation_id"]), failure.reason_code))
        failed = InvitationDeliveryFailed(
            invitation_id=row["invitation_id"], inviter_id=row["inviter_id"],
            channel=InvitationChannel(row["channel"]), attempt=row["send_count"] + 1,
            reason_code=failure.reason_code, reason=failure.reason[:500] or failure.reason_code,
            will_retry=False,
        )  # fmt: skip
        events.append((row, failed))
    return events
