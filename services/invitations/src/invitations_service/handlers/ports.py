"""What the invitations use cases need from the world, as protocols: a unit of work holding
the repositories bound to one transaction, and `emit` for the events. Postgres implements
them (adapters/unit_of_work.py); tests give in-memory fakes (tests/fake_invitations_work.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Protocol
from uuid import UUID

from contacts_events import EventContext, IntegrationEvent
from contacts_messaging.unit_of_work import EmitsEvents

from invitations_service.domain.invitation import (
    Invitation,
    NewInvitation,
    SentMessage,
    StagedRequest,
)
from invitations_service.domain.request_batch import DailyKey

Pair = tuple[UUID, str]  # (inviter, destination: the E.164 number or the lower-case address)


class Invitations(Protocol):
    async def get(self, invitation_id: UUID, *, for_update: bool = False) -> Invitation | None:
        """The invitation, locked for the transaction with `for_update`."""

    async def existing(
        self, request_id: UUID, inviter_id: UUID, destination: str
    ) -> Invitation | None:
        """The invitation the request made, or else the inviter's open invitation to the
        number or (lower-case) address (one look-up: `invite` asks it of every request)."""

    async def open_for(self, inviter_id: UUID, destination: str) -> Invitation | None:
        """The inviter's open invitation to the number or (lower-case) address."""

    async def insert(self, new: NewInvitation, context: EventContext) -> Invitation:
        """Store a pending invitation with its first message queued in `context` (that of the
        request asking for it); as stored."""

    async def pending_page(
        self, inviter_id: UUID, after: tuple[datetime, UUID] | None, limit: int
    ) -> list[Invitation]:
        """The inviter's open invitations, newest first, after `after` (created_at, id)."""

    async def delivery_failed(self, invitation_id: UUID) -> None:
        """A sent invitation's message failed after the provider took it (`delivery_failed`;
        an invitation closed meanwhile stays as it is)."""

    async def close(self, invitation_id: UUID, status: str, invitee: UUID | None = None) -> None:
        """Close it (accepted, cancelled) and drop its queued messages."""

    async def cancel_open_of(self, inviter_id: UUID) -> list[Invitation]:
        """Cancel every open invitation of the inviter and drop their queued messages; those
        cancelled now."""

    async def open_matching(
        self, phone: str | None, email: str | None, token: str | None
    ) -> list[tuple[Invitation, str]]:
        """The open, unexpired invitations a new user accepts, locked, each with what matched:
        `invitation_token`, `phone` or `email`."""

    async def expire_due(self) -> list[Invitation]:
        """Close the open invitations past their expiry; those expired now."""

    async def invited_requests(self, request_ids: list[UUID]) -> set[UUID]:
        """Which of these requests already made an invitation (whatever became of it)."""

    async def open_pairs(self, pairs: list[Pair]) -> set[Pair]:
        """Which (inviter, destination) pairs have an open invitation."""

    async def insert_pending(
        self, new: list[NewInvitation], contexts: list[EventContext]
    ) -> set[UUID]:
        """Store pending invitations, each with its first message queued in its request's
        context; the ids stored (one whose request or open pair exists is skipped)."""


class Deliveries(Protocol):
    async def queue(self, invitation_id: UUID, kind: str, context: EventContext) -> None:
        """Queue a message (`first`, `resend`) in the context of the request asking for it."""

    async def in_progress(self, invitation_id: UUID) -> bool:
        """Whether a message of the invitation is queued or with the provider."""

    async def sent_message(self, provider_message_id: str) -> SentMessage | None:
        """The message the provider knows by this id, with its invitation; None if unknown."""

    async def mark_failed(self, delivery_id: UUID, error: str) -> bool:
        """The sent message failed after the provider accepted it; False when that was
        recorded before (a provider may call back more than once)."""


class Cooldowns(Protocol):
    async def take(self, pair: Pair, now: datetime, cooldown: timedelta) -> datetime | None:
        """Start the pair's cool-down unless one runs; the last message's time if one does."""

    async def locked_last_messages(self, pairs: Iterable[Pair]) -> dict[Pair, datetime]: ...

    async def record(self, pairs: Iterable[Pair], now: datetime) -> None: ...

    async def forget_ended(self, cooldown: timedelta) -> None: ...


class DailySends(Protocol):
    async def take_daily(self, caps: Sequence[tuple[DailyKey, int]], day: date) -> DailyKey | None:
        """Count one more send for the day against each key, each under its cap: None; or
        the first key (in `caps`' order) already at its cap, and the caller refuses the send
        (its transaction rolls back whatever was counted against the others)."""

    async def locked_counts(self, day: date, keys: Iterable[DailyKey]) -> dict[DailyKey, int]: ...

    async def add(self, day: date, added: Mapping[DailyKey, int]) -> None: ...


class Tenants(Protocol):
    async def company_of(self, user_id: UUID) -> UUID | None:
        """The company the directory says the user belongs to."""

    async def explicit_countries(self, tenant_id: UUID) -> list[str] | None:
        """The list an admin set, or None when the members' countries apply."""

    async def role_in(self, tenant_id: UUID, user_id: UUID) -> str | None:
        """The user's role in the company (`admin`, `member`), None when not a member."""

    async def has_member_in(self, tenant_id: UUID, region: str) -> bool: ...

    async def member_regions(self, tenant_id: UUID) -> list[str]: ...

    async def set_countries(self, tenant_id: UUID, countries: list[str], changed_by: str) -> None:
        """Set the explicit list (`changed_by`: the admin's user id)."""

    async def clear_countries(self, tenant_id: UUID) -> None: ...


class Accounts(Protocol):
    async def hold_open(self, user_ids: Iterable[UUID]) -> set[UUID]:
        """Hold the accounts open until the transaction ends; return those already closed."""


class RequestsQueue(Protocol):
    async def take_inviters(self, inviter_id: UUID) -> list[StagedRequest]:
        """Take the inviter's requests, waiting or set aside, out of the queue (their account
        closed), in their order; those a processor holds at that moment are left to it."""


class InvitationsWork(EmitsEvents, Protocol):
    invitations: Invitations
    deliveries: Deliveries
    cooldowns: Cooldowns
    daily_sends: DailySends
    tenants: Tenants
    accounts: Accounts
    requests: RequestsQueue

    def emit_in(self, context: EventContext, *events: IntegrationEvent) -> None:
        """Emit events in a context of their own (that of the request each answers), not the
        one the transaction's opener gives."""
