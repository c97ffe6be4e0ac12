"""Turning a batch of staged InvitationRequested into invitations with a few statements.

The whole batch is asked about at once (which requests already made an invitation, which
pairs are open, the tenants' countries, the pairs' cool-downs and today's counters, locked in
that order as one request at a time takes them), decided in order (domain/request_batch.py),
then written at once: the invitations with their first deliveries (each in the context of its
request, so that its InvitationSent carries that correlation id), the cool-downs, the counters,
and an `InvitationRefused` for each refused request (emitted in the request's context). Runs
in the caller's unit of work; the refusals are returned so that they are counted only once it
commits.
"""

from __future__ import annotations

import secrets
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from contacts_servicekit.domain_errors import DomainError

from invitations_service.domain.destinations import refused_country, region_of
from invitations_service.domain.invitation import NewInvitation, StagedRequest
from invitations_service.domain.policy import (
    Policy,
    checked_email,
    checked_phone,
    refusal_code,
)
from invitations_service.domain.request_batch import (
    Candidate,
    Decision,
    decide,
    destination_key,
    inviter_key,
)
from invitations_service.handlers.closures import inviter_closed
from invitations_service.handlers.destinations import tenant_of
from invitations_service.handlers.ports import InvitationsWork, Tenants
from invitations_service.handlers.sending.refusals import announce_refusal, request_context


async def handle_batch(
    work: InvitationsWork, policy: Policy, staged: Sequence[StagedRequest]
) -> list[str]:
    """Handle `staged` requests (in their order); the `reason_code` of each refusal."""
    if not staged:
        return []
    now = datetime.now(UTC)
    candidates = await _candidates(work, policy, staged)
    keys = [
        key
        for c in candidates
        if c.refused is None and not c.already_invited and c.country_refused is None
        for key in (inviter_key(c.inviter_id), destination_key(c.destination))
    ]
    counts = await work.daily_sends.locked_counts(now.date(), keys)
    decisions = decide(candidates, counts, policy, now)
    await _create(work, policy, staged, candidates, decisions, now)
    refused = [(row, d.refusal) for row, d in zip(staged, decisions, strict=True) if d.refusal]
    for row, refusal in refused:
        announce_refusal(work, row, refusal)
    return [refusal_code(refusal) for _, refusal in refused]


async def _candidates(
    work: InvitationsWork, policy: Policy, staged: Sequence[StagedRequest]
) -> list[Candidate]:
    closed = await work.accounts.hold_open({row.inviter_id for row in staged})
    checked = [
        ("", inviter_closed()) if row.inviter_id in closed else _checked_destination(row)
        for row in staged
    ]
    live = [
        (row, dest) for row, (dest, refused) in zip(staged, checked, strict=True) if not refused
    ]
    invited = await work.invitations.invited_requests([row.request_id for row, _ in live])
    open_pairs = await work.invitations.open_pairs(
        sorted({(row.inviter_id, dest) for row, dest in live})
    )
    countries = _Countries(work.tenants)
    last_messages = await work.cooldowns.locked_last_messages(
        [(row.inviter_id, dest) for row, dest in live]
    )
    candidates = []
    for row, (destination, refused) in zip(staged, checked, strict=True):
        pair = (row.inviter_id, destination)
        already = row.request_id in invited or pair in open_pairs
        country_refused = None
        if refused is None and not already and row.channel == "sms" and policy.country_allow_list:
            country_refused = await countries.refusal(row.inviter_id, row.tenant, destination)
        last_message_at = last_messages.get(pair)
        candidates.append(Candidate(*pair, refused, already, country_refused, last_message_at))
    return candidates


def _checked_destination(row: StagedRequest) -> tuple[str, DomainError | None]:
    """(destination, None), or ("", why the number or address is refused)."""
    try:
        if row.phone_e164:
            return checked_phone(row.phone_e164), None
        return checked_email(row.email or "").lower(), None
    except DomainError as refusal:
        return "", refusal


class _Countries:
    """The tenants' destination countries, each asked once per batch."""

    def __init__(self, tenants: Tenants) -> None:
        self.tenants = tenants
        self._tenants: dict[tuple[uuid.UUID, str | None], uuid.UUID | None] = {}
        self._lists: dict[uuid.UUID, tuple[list[str] | None, list[str]]] = {}

    async def refusal(
        self, inviter_id: uuid.UUID, claimed: str | None, phone: str
    ) -> DomainError | None:
        if (inviter_id, claimed) not in self._tenants:
            self._tenants[inviter_id, claimed] = await tenant_of(self.tenants, inviter_id, claimed)
        tenant_id = self._tenants[inviter_id, claimed]
        if tenant_id is None:
            return None
        if tenant_id not in self._lists:
            explicit = await self.tenants.explicit_countries(tenant_id)
            members = await self.tenants.member_regions(tenant_id) if explicit is None else []
            self._lists[tenant_id] = (explicit, members)
        return refused_country(region_of(phone), *self._lists[tenant_id])


async def _create(
    work: InvitationsWork,
    policy: Policy,
    staged: Sequence[StagedRequest],
    candidates: Sequence[Candidate],
    decisions: Sequence[Decision],
    now: datetime,
) -> None:
    created = [
        (_new_invitation(row, c, now + policy.expiry), row, c)
        for row, c, d in zip(staged, candidates, decisions, strict=True)
        if d.create
    ]
    inserted = await work.invitations.insert_pending(
        [new for new, _, _ in created], [request_context(row) for _, row, _ in created]
    )
    added: Counter[tuple[str, str]] = Counter()
    messaged = []  # the pairs whose cool-down starts now
    for new, _, c in created:  # a pair opened meanwhile by the API is skipped, not counted
        if new.invitation_id in inserted:
            added.update((inviter_key(c.inviter_id), destination_key(c.destination)))
            messaged.append((c.inviter_id, c.destination))
    await work.daily_sends.add(now.date(), added)
    await work.cooldowns.record(messaged, now)


def _new_invitation(row: StagedRequest, c: Candidate, expires_at: datetime) -> NewInvitation:
    phone = c.destination if row.channel == "sms" else None
    return NewInvitation(
        uuid.uuid4(), row.inviter_id, row.request_id, row.import_id, row.channel, phone,
        row.email, row.display_name, secrets.token_urlsafe(24), expires_at,
    )  # fmt: skip
