"""Creating invitations through the API, resending, cancelling (the importer's requests are
the request processor's: sending/decide.py). Sending itself is the delivery worker's
(sending/worker.py)."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime

from contacts_events import CancellationReason, EventContext, InvitationCancelled
from contacts_messaging.accounts.guard import AccountClosed
from contacts_servicekit.domain_errors import Conflicting, Missing

from invitations_service.domain.invitation import Invitation, NewInvitation
from invitations_service.domain.invitee import Asked
from invitations_service.domain.policy import (
    LimitReached,
    Policy,
    checked_email,
    checked_phone,
    destination_cap_reached,
    inviter_cap_reached,
)
from invitations_service.domain.request_batch import destination_key, inviter_key
from invitations_service.handlers.destinations import check_country, tenant_of
from invitations_service.handlers.ports import InvitationsWork, Pair


async def invite_asked(
    work: InvitationsWork, policy: Policy, context: EventContext, inviter_id: uuid.UUID,
    request_id: uuid.UUID, asked: Asked, tenant: str | None,
) -> tuple[Invitation, bool]:  # fmt: skip
    """`invite` through the API: the number or address as typed is checked first (Refused
    saying what is wrong with it)."""
    phone = checked_phone(asked.phone) if asked.phone else None
    email = checked_email(asked.email) if asked.email else None
    return await invite(
        work, policy, context, inviter_id, request_id, asked.channel, phone, email, asked.name,
        tenant=tenant,
    )  # fmt: skip


async def invite(
    work: InvitationsWork, policy: Policy, context: EventContext, inviter_id: uuid.UUID,
    request_id: uuid.UUID, channel: str, phone: str | None, email: str | None,
    invitee_name: str | None, import_id: uuid.UUID | None = None, tenant: str | None = None,
) -> tuple[Invitation, bool]:  # fmt: skip
    """The invitation for this request: a new one queued for sending, or the open one this
    inviter already has for the destination (then nothing is sent again). (invitation,
    created) Its message is queued in `context`, that of the request: its InvitationSent
    carries it.

    Refused (domain errors: Refused, LimitReached) for a country the inviter's tenant may not
    invite (`tenant` is what the request claims, used when the directory has not said which
    company the inviter is in), inside the cool-down of the inviter's last message to the
    destination (an invitation deleted and asked again is held to it like a resend), and past
    the inviter's or the destination's daily cap. The inviter is held open until the caller
    commits: a closure of their account waits for it, and cancels what it created."""
    if await work.accounts.hold_open([inviter_id]):
        raise AccountClosed
    destination = phone or (email or "").lower()
    existing = await work.invitations.existing(request_id, inviter_id, destination)
    if existing is not None:
        return existing, False
    if phone and policy.country_allow_list:
        tenant_id = await tenant_of(work.tenants, inviter_id, tenant)
        if tenant_id is not None:
            await check_country(work.tenants, tenant_id, phone)
    now = datetime.now(UTC)
    cooling = await _cooldown_refusal(work, policy, (inviter_id, destination), now)
    if cooling is not None:
        # An invite of this pair that committed while this one waited for the cool-down's
        # row is the answer, as if it had been found above; otherwise the pair messaged lately.
        opened = await work.invitations.open_for(inviter_id, destination)
        if opened is not None:
            return opened, False
        raise cooling
    inviter, to_destination = inviter_key(inviter_id), destination_key(destination)
    at_cap = await work.daily_sends.take_daily(
        [(inviter, policy.inviter_daily_cap), (to_destination, policy.destination_daily_cap)],
        now.date(),
    )
    if at_cap == inviter:
        raise inviter_cap_reached(policy, now)
    if at_cap == to_destination:
        raise destination_cap_reached(policy, now)
    created = await work.invitations.insert(
        NewInvitation(
            uuid.uuid4(), inviter_id, request_id, import_id, channel, phone, email, invitee_name,
            secrets.token_urlsafe(24), now + policy.expiry,
        ),
        context,
    )  # fmt: skip
    return created, True


async def resend(
    work: InvitationsWork, policy: Policy, context: EventContext, inviter_id: uuid.UUID,
    invitation_id: uuid.UUID,
) -> Invitation:  # fmt: skip
    """Queue one more message for a pending invitation, within the cool-down and the caps, in
    `context` (that of the request: its InvitationResent carries it)."""
    found = await owned_open(work, inviter_id, invitation_id)
    now = datetime.now(UTC)
    if await work.deliveries.in_progress(invitation_id):
        raise Conflicting("send_in_progress", "This invitation is being sent right now.")
    cooling = await _cooldown_refusal(work, policy, (inviter_id, found.destination), now)
    if cooling is not None:
        raise cooling
    if await work.daily_sends.take_daily(
        [(destination_key(found.destination), policy.destination_daily_cap)], now.date()
    ):
        raise destination_cap_reached(
            policy, now,
            f"This number or address already got {policy.destination_daily_cap} invitations today; "
            "it can be invited again tomorrow.",
        )  # fmt: skip
    await work.deliveries.queue(invitation_id, "resend", context)
    return found


async def _cooldown_refusal(
    work: InvitationsWork, policy: Policy, pair: Pair, now: datetime
) -> LimitReached | None:
    """Start the cool-down of the inviter's messages to the destination; inside the running
    one, its refusal instead (and nothing started)."""
    last_message_at = await work.cooldowns.take(pair, now, policy.resend_cooldown)
    return policy.cooldown_refusal(last_message_at, now)


async def cancel(work: InvitationsWork, inviter_id: uuid.UUID, invitation_id: uuid.UUID) -> None:
    """Delete a pending invitation: it can no longer be accepted, and nothing more is sent."""
    found = await owned_open(work, inviter_id, invitation_id)
    await work.invitations.close(invitation_id, "cancelled")
    work.emit(
        InvitationCancelled(
            invitation_id=invitation_id, inviter_id=found.inviter_id,
            request_id=found.request_id, reason=CancellationReason.DELETED_BY_INVITER,
        )
    )  # fmt: skip


async def owned_open(
    work: InvitationsWork, inviter_id: uuid.UUID, invitation_id: uuid.UUID
) -> Invitation:
    """The inviter's open invitation, locked; another user's (or a closed one) is Missing."""
    found = await work.invitations.get(invitation_id, for_update=True)
    if found is None or found.inviter_id != inviter_id or not found.is_open:
        raise Missing("invitation_not_found", "You have no pending invitation with this id.")
    return found


async def pending_page(
    work: InvitationsWork, inviter_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Invitation]:  # fmt: skip
    """The inviter's open invitations, newest first, after `after` (created_at, id)."""
    return await work.invitations.pending_page(inviter_id, after, limit)
