"""handlers/ports.py in memory, to run the invitations use cases with no Postgres or Kafka:
invitations, queued messages, cool-downs, daily counters, tenants, closed accounts and the
requests waiting. Locks are not modelled (one use case at a time)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from contacts_events import EventContext, IntegrationEvent
from contacts_testing.unit_of_work import FakeUnitOfWork
from invitations_service.domain.invitation import (
    Invitation,
    NewInvitation,
    SentMessage,
    StagedRequest,
)
from invitations_service.domain.request_batch import DailyKey
from invitations_service.handlers.ports import Pair

DailyCount = tuple[DailyKey, date]


class FakeInvitationsWork(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.stored: dict[UUID, Invitation] = {}
        self.tokens: dict[UUID, str] = {}
        self.queued: list[tuple[UUID, str, EventContext]] = []  # (invitation, kind, context)
        self.sending: set[UUID] = set()  # invitations with a message with the provider
        self.last_messages: dict[Pair, datetime] = {}
        self.counts: dict[DailyCount, int] = {}
        self.companies: dict[UUID, UUID] = {}  # user -> company
        self.admins: set[UUID] = set()  # users who are their company's admins
        self.explicit: dict[UUID, list[str]] = {}  # tenant -> countries its admins allow
        self.members: dict[UUID, list[str]] = {}  # tenant -> its members' regions
        self.closed: set[UUID] = set()
        self.waiting: list[StagedRequest] = []
        self.contexts: list[EventContext | None] = []  # emit_in's, one per event (else None)
        self.with_provider: dict[str, SentMessage] = {}  # provider's message id -> message
        self.failed_deliveries: dict[UUID, str] = {}  # delivery -> the error recorded
        self.invitations = self.deliveries = self.cooldowns = self.daily_sends = self
        self.tenants = self.accounts = self.requests = self

    def emit(self, *events: IntegrationEvent) -> None:
        super().emit(*events)
        self.contexts.extend(None for _ in events)

    def emit_in(self, context: EventContext, *events: IntegrationEvent) -> None:
        super().emit(*events)
        self.contexts.extend(context for _ in events)

    def statuses(self) -> dict[str, str]:
        return {i.destination: i.status for i in self.stored.values()}

    # Invitations
    async def get(self, invitation_id: UUID, *, for_update: bool = False) -> Invitation | None:
        return self.stored.get(invitation_id)

    async def existing(
        self, request_id: UUID, inviter_id: UUID, destination: str
    ) -> Invitation | None:
        made = next((i for i in self.stored.values() if i.request_id == request_id), None)
        return made or await self.open_for(inviter_id, destination)

    async def open_for(self, inviter_id: UUID, destination: str) -> Invitation | None:
        return next((i for i in self.stored.values() if i.is_open and
                     (i.inviter_id, i.destination) == (inviter_id, destination)), None)  # fmt: skip

    async def insert(self, new: NewInvitation, context: EventContext) -> Invitation:
        self.stored[new.invitation_id] = stored = Invitation(
            new.invitation_id, new.inviter_id, new.request_id, new.channel, new.phone_e164,
            new.email, new.invitee_name, "pending", 0, None, new.expires_at, datetime.now(UTC),
        )  # fmt: skip
        self.tokens[new.invitation_id] = new.token
        await self.queue(new.invitation_id, "first", context)
        return stored

    async def pending_page(
        self, inviter_id: UUID, after: tuple[datetime, UUID] | None, limit: int
    ) -> list[Invitation]:
        mine = [i for i in self.stored.values() if i.inviter_id == inviter_id and i.is_open]
        mine.sort(key=lambda i: (i.created_at, i.invitation_id), reverse=True)
        return [i for i in mine if after is None or (i.created_at, i.invitation_id) < after][:limit]

    async def close(self, invitation_id: UUID, status: str, invitee: UUID | None = None) -> None:
        self.stored[invitation_id] = replace(self.stored[invitation_id], status=status)
        self.queued = [q for q in self.queued if q[0] != invitation_id]

    async def cancel_open_of(self, inviter_id: UUID) -> list[Invitation]:
        mine = [i for i in self.stored.values() if i.inviter_id == inviter_id and i.is_open]
        for invitation in mine:
            await self.close(invitation.invitation_id, "cancelled")
        return mine

    async def open_matching(
        self, phone: str | None, email: str | None, token: str | None
    ) -> list[tuple[Invitation, str]]:
        found = []
        for i in self.stored.values():
            if not i.is_open or i.expires_at <= datetime.now(UTC):
                continue
            if token is not None and self.tokens[i.invitation_id] == token:
                found.append((i, "invitation_token"))
            elif phone is not None and i.phone_e164 == phone:
                found.append((i, "phone"))
            elif email is not None and i.email is not None and i.email.lower() == email.lower():
                found.append((i, "email"))
        return found

    async def expire_due(self) -> list[Invitation]:
        due = [i for i in self.stored.values() if i.is_open and i.expires_at <= datetime.now(UTC)]
        for invitation in due:
            self.stored[invitation.invitation_id] = replace(invitation, status="expired")
        return due

    async def invited_requests(self, request_ids: list[UUID]) -> set[UUID]:
        return {i.request_id for i in self.stored.values()} & set(request_ids)

    async def open_pairs(self, pairs: list[Pair]) -> set[Pair]:
        return {(i.inviter_id, i.destination) for i in self.stored.values() if i.is_open} & set(
            pairs
        )

    async def insert_pending(
        self, new: list[NewInvitation], contexts: list[EventContext]
    ) -> set[UUID]:
        inserted = set()
        for invitation, context in zip(new, contexts, strict=True):
            destination = invitation.phone_e164 or (invitation.email or "").lower()
            if not await self.open_for(invitation.inviter_id, destination):
                await self.insert(invitation, context)
                inserted.add(invitation.invitation_id)
        return inserted

    # Deliveries
    async def queue(self, invitation_id: UUID, kind: str, context: EventContext) -> None:
        self.queued.append((invitation_id, kind, context))

    async def in_progress(self, invitation_id: UUID) -> bool:
        return invitation_id in self.sending or any(q[0] == invitation_id for q in self.queued)

    async def sent_message(self, provider_message_id: str) -> SentMessage | None:
        return self.with_provider.get(provider_message_id)

    async def mark_failed(self, delivery_id: UUID, error: str) -> bool:
        if delivery_id in self.failed_deliveries:
            return False
        self.failed_deliveries[delivery_id] = error
        return True

    async def delivery_failed(self, invitation_id: UUID) -> None:
        found = self.stored[invitation_id]
        if found.status == "sent":
            self.stored[invitation_id] = replace(found, status="delivery_failed")

    # Cooldowns
    async def take(self, pair: Pair, now: datetime, cooldown: timedelta) -> datetime | None:
        last = self.last_messages.get(pair)
        if last is not None and last > now - cooldown:
            return last
        self.last_messages[pair] = now
        return None

    async def locked_last_messages(self, pairs: Iterable[Pair]) -> dict[Pair, datetime]:
        return {p: self.last_messages[p] for p in pairs if p in self.last_messages}

    async def record(self, pairs: Iterable[Pair], now: datetime) -> None:
        self.last_messages.update((pair, now) for pair in pairs)

    async def forget_ended(self, cooldown: timedelta) -> None:
        ended = datetime.now(UTC) - cooldown
        self.last_messages = {p: t for p, t in self.last_messages.items() if t >= ended}

    # DailySends
    async def take_daily(self, caps: Sequence[tuple[DailyKey, int]], day: date) -> DailyKey | None:
        at_cap = next((key for key, cap in caps if self.counts.get((key, day), 0) >= cap), None)
        if at_cap is None:  # counts nothing when refused (as Postgres after the rollback)
            for key, _ in caps:
                self.counts[key, day] = self.counts.get((key, day), 0) + 1
        return at_cap

    async def locked_counts(self, day: date, keys: Iterable[DailyKey]) -> dict[DailyKey, int]:
        return {key: self.counts.get((key, day), 0) for key in keys}

    async def add(self, day: date, added: Mapping[DailyKey, int]) -> None:
        for key, n in added.items():
            self.counts[key, day] = self.counts.get((key, day), 0) + n

    # Tenants
    async def company_of(self, user_id: UUID) -> UUID | None:
        return self.companies.get(user_id)

    async def explicit_countries(self, tenant_id: UUID) -> list[str] | None:
        return self.explicit.get(tenant_id)

    async def role_in(self, tenant_id: UUID, user_id: UUID) -> str | None:
        if self.companies.get(user_id) != tenant_id:
            return None
        return "admin" if user_id in self.admins else "member"

    async def set_countries(self, tenant_id: UUID, countries: list[str], changed_by: str) -> None:
        self.explicit[tenant_id] = countries

    async def clear_countries(self, tenant_id: UUID) -> None:
        self.explicit.pop(tenant_id, None)

    async def has_member_in(self, tenant_id: UUID, region: str) -> bool:
        return region in self.members.get(tenant_id, [])

    async def member_regions(self, tenant_id: UUID) -> list[str]:
        return sorted(self.members.get(tenant_id, []))

    # Accounts
    async def hold_open(self, user_ids: Iterable[UUID]) -> set[UUID]:
        return set(user_ids) & self.closed

    # RequestsQueue
    async def take_inviters(self, inviter_id: UUID) -> list[StagedRequest]:
        taken = [r for r in self.waiting if r.inviter_id == inviter_id]
        self.waiting = [r for r in self.waiting if r.inviter_id != inviter_id]
        return taken
