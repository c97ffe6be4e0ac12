"""Creating invitations (from the importer's InvitationRequested, or the API), resending,
cancelling. Sending itself is the delivery worker's (delivery.py)."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime

import asyncpg
from contacts_events import CancellationReason, EventContext, InvitationCancelled
from contacts_messaging.accounts import store as closed_accounts
from contacts_messaging.accounts.guard import AccountClosed
from contacts_messaging.outbox import Outbox
from contacts_servicekit.domain_errors import Conflicting, Missing

from invitations_service.adapters import cooldowns_repository as cooldowns
from invitations_service.adapters import daily_sends_repository as daily_sends
from invitations_service.adapters import invitations_repository as invitations
from invitations_service.domain.policy import (
    LimitReached,
    Policy,
    destination_cap_reached,
    inviter_cap_reached,
)
from invitations_service.handlers.destinations import check_country, tenant_of


async def invite(
    conn: asyncpg.Connection, policy: Policy, context: EventContext, inviter_id: uuid.UUID,
    request_id: uuid.UUID, channel: str, phone: str | None, email: str | None,
    invitee_name: str | None, import_id: uuid.UUID | None = None, tenant: str | None = None,
) -> tuple[asyncpg.Record, bool]:  # fmt: skip
    """The invitation for this request: a new one queued for sending, or the open one this
    inviter already has for the destination (then nothing is sent again). (record, created)
    Its message is queued in `context`, that of the request: its InvitationSent carries it.

    Refused (domain errors: Refused, LimitReached) for a country the inviter's tenant may not invite (`tenant` is what the
    request claims, used when the directory has not said which company the inviter is in),
    inside the cool-down of the inviter's last message to the destination (an invitation
    deleted and asked again is held to it like a resend), and past the inviter's or the
    destination's daily cap. The inviter is held open until the caller commits: a closure of
    their account waits for it, and cancels what it created."""
    if not await closed_accounts.is_open(conn, inviter_id):
        raise AccountClosed
    existing = await invitations.by_request(conn, request_id) or await invitations.open_for(
        conn, inviter_id, phone, email
    )
    if existing is not None:
        return existing, False
    if phone and policy.country_allow_list:
        tenant_id = await tenant_of(conn, inviter_id, tenant)
        if tenant_id is not None:
            await check_country(conn, tenant_id, phone)
    now = datetime.now(UTC)
    destination = phone or (email or "").lower()
    cooling = await _cooldown_refusal(conn, policy, (inviter_id, destination), now)
    if cooling is not None:
        # An invite of this pair that committed while this one waited for the cool-down's
        # row is the answer, as if it had been found above; otherwise the pair messaged lately.
        opened = await invitations.open_for(conn, inviter_id, phone, email)
        if opened is not None:
            return opened, False
        raise cooling
    if not await daily_sends.take_daily(
        conn, "inviter", str(inviter_id), now.date(), policy.inviter_daily_cap
    ):
        raise inviter_cap_reached(policy, now)
    if not await daily_sends.take_daily(
        conn, "destination", destination, now.date(), policy.destination_daily_cap
    ):
        raise destination_cap_reached(policy, now)
    invitation_id = uuid.uuid4()
    await invitations.insert(
        conn, invitation_id=invitation_id, inviter_id=inviter_id, request_id=request_id,
        import_id=import_id, channel=channel, phone_e164=phone, email=email,
        invitee_name=invitee_name, token=secrets.token_urlsafe(24), status="pending",
        expires_at=now + policy.expiry,
    )  # fmt: skip
    await invitations.queue_delivery(conn, uuid.uuid4(), invitation_id, "first", context)
    created = await invitations.get(conn, invitation_id)
    assert created is not None
    return created, True


async def resend(
    conn: asyncpg.Connection, policy: Policy, context: EventContext, inviter_id: uuid.UUID,
    invitation_id: uuid.UUID,
) -> asyncpg.Record:  # fmt: skip
    """Queue one more message for a pending invitation, within the cool-down and the caps, in
    `context` (that of the request: its InvitationResent carries it)."""
    found = await owned_open(conn, inviter_id, invitation_id)
    now = datetime.now(UTC)
    if await conn.fetchval(
        "SELECT true FROM deliveries WHERE invitation_id = $1 AND status IN ('queued', 'sending')",
        invitation_id,
    ):
        raise Conflicting("send_in_progress", "This invitation is being sent right now.")
    destination = found["phone_e164"] or found["email"].lower()
    cooling = await _cooldown_refusal(conn, policy, (inviter_id, destination), now)
    if cooling is not None:
        raise cooling
    if not await daily_sends.take_daily(
        conn, "destination", destination, now.date(), policy.destination_daily_cap
    ):
        raise destination_cap_reached(
            policy, now,
            f"This number or address already got {policy.destination_daily_cap} invitations today; "
            "it can be invited again tomorrow.",
        )  # fmt: skip
    await invitations.queue_delivery(conn, uuid.uuid4(), invitation_id, "resend", context)
    return found


async def _cooldown_refusal(
    conn: asyncpg.Connection, policy: Policy, pair: cooldowns.Pair, now: datetime
) -> LimitReached | None:
    """Start the cool-down of the inviter's messages to the destination; inside the running
    one, its refusal instead (and nothing started)."""
    last_message_at = await cooldowns.take(conn, pair, now, policy.resend_cooldown)
    return policy.cooldown_refusal(last_message_at, now)


async def cancel(
    conn: asyncpg.Connection,
    outbox: Outbox,
    context: EventContext,
    inviter_id: uuid.UUID,
    invitation_id: uuid.UUID,
) -> None:
    """Delete a pending invitation: it can no longer be accepted, and nothing more is sent."""
    found = await owned_open(conn, inviter_id, invitation_id)
    await invitations.close(conn, invitation_id, "cancelled")
    event = InvitationCancelled(
        invitation_id=invitation_id,
        inviter_id=found["inviter_id"],
        request_id=found["request_id"],
        reason=CancellationReason.DELETED_BY_INVITER,
    )
    await outbox.add(conn, [event], context)


async def owned_open(
    conn: asyncpg.Connection, inviter_id: uuid.UUID, invitation_id: uuid.UUID
) -> asyncpg.Record:
    """The inviter's open invitation; another user's (or a closed one) is Missing."""
    found = await invitations.get(conn, invitation_id, for_update=True)
    if (
        found is None
        or found["inviter_id"] != inviter_id
        or found["status"] not in invitations.OPEN
    ):
        raise Missing("invitation_not_found", "You have no pending invitation with this id.")
    return found
