"""The invitations use cases' unit of work on Postgres: the repositories of handlers/ports.py
bound to one connection (in a transaction for changes)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import astuple, fields
from datetime import date, datetime, timedelta
from uuid import UUID

import asyncpg
from contacts_events import EventContext, IntegrationEvent
from contacts_messaging.accounts import store as closed_accounts
from contacts_messaging.outbox import Outbox
from contacts_messaging.unit_of_work import UnitOfWork

from invitations_service.adapters import cooldowns_repository as cooldowns
from invitations_service.adapters import daily_sends_repository as daily_sends
from invitations_service.adapters import deliveries_repository as deliveries
from invitations_service.adapters import invitations_repository as invitations
from invitations_service.adapters import provider_callbacks
from invitations_service.adapters import tenants_repository as tenants
from invitations_service.domain.invitation import (
    Invitation,
    NewInvitation,
    SentMessage,
    StagedRequest,
)
from invitations_service.domain.request_batch import DailyKey
from invitations_service.handlers.ports import (
    Accounts,
    Cooldowns,
    DailySends,
    Deliveries,
    Invitations,
    Pair,
    RequestsQueue,
    Tenants,
)
from invitations_service.handlers.sending import queue as requests_queue
from invitations_service.handlers.sending.handover import Claims


def invitation_of(row: asyncpg.Record) -> Invitation:
    return Invitation(**{field.name: row[field.name] for field in fields(Invitation)})


class _Bound:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn


class _Queueing(_Bound):
    """Queues messages; with `claims`, claims them for this process's worker instead."""

    def __init__(self, conn: asyncpg.Connection, claims: Claims | None) -> None:
        super().__init__(conn)
        self.claims = claims

    def _claim_for(self) -> timedelta | None:
        return self.claims.lease if self.claims is not None else None

    def _queued(self, message: asyncpg.Record) -> asyncpg.Record:
        if self.claims is not None:
            self.claims.rows.append(message)
        return message


class _Invitations(_Queueing):
    async def get(self, invitation_id: UUID, *, for_update: bool = False) -> Invitation | None:
        row = await invitations.get(self.conn, invitation_id, for_update=for_update)
        return invitation_of(row) if row else None

    async def existing(
        self, request_id: UUID, inviter_id: UUID, destination: str
    ) -> Invitation | None:
        row = await invitations.existing(self.conn, request_id, inviter_id, destination)
        return invitation_of(row) if row else None

    async def open_for(self, inviter_id: UUID, destination: str) -> Invitation | None:
        row = await invitations.open_for(self.conn, inviter_id, destination)
        return invitation_of(row) if row else None

    async def insert(self, new: NewInvitation, context: EventContext) -> Invitation:
        row = await invitations.insert_first(self.conn, astuple(new), context, self._claim_for())
        return invitation_of(self._queued(row))

    async def pending_page(
        self, inviter_id: UUID, after: tuple[datetime, UUID] | None, limit: int
    ) -> list[Invitation]:
        rows = await invitations.pending_page(self.conn, inviter_id, after, limit)
        return [invitation_of(row) for row in rows]

    async def delivery_failed(self, invitation_id: UUID) -> None:
        await provider_callbacks.invitation_failed(self.conn, invitation_id)

    async def close(self, invitation_id: UUID, status: str, invitee: UUID | None = None) -> None:
        await invitations.close(self.conn, invitation_id, status, invitee)

    async def cancel_open_of(self, inviter_id: UUID) -> list[Invitation]:
        return [invitation_of(r) for r in await invitations.cancel_open_of(self.conn, inviter_id)]

    async def open_matching(
        self, phone: str | None, email: str | None, token: str | None
    ) -> list[tuple[Invitation, str]]:
        rows = await invitations.open_matching(self.conn, phone, email, token)
        return [(invitation_of(row), row["matched_by"]) for row in rows]

    async def expire_due(self) -> list[Invitation]:
        return [invitation_of(row) for row in await invitations.expire_due(self.conn)]

    async def invited_requests(self, request_ids: list[UUID]) -> set[UUID]:
        return await invitations.invited_requests(self.conn, request_ids)

    async def open_pairs(self, pairs: list[Pair]) -> set[Pair]:
        return await invitations.open_destinations(self.conn, pairs)

    async def insert_pending(
        self, new: list[NewInvitation], contexts: list[EventContext]
    ) -> set[UUID]:
        if not new:
            return set()
        # NEW_COLUMNS order: NewInvitation's fields but the expiry, which a batch shares (its
        # invitations are made at one moment)
        rows = [astuple(invitation)[:-1] for invitation in new]
        return await invitations.insert_pending(self.conn, rows, contexts, new[0].expires_at)


class _Deliveries(_Queueing):
    async def queue(self, invitation_id: UUID, kind: str, context: EventContext) -> None:
        self._queued(
            await invitations.queue_delivery(
                self.conn, uuid.uuid4(), invitation_id, kind, context, self._claim_for()
            )
        )

    async def in_progress(self, invitation_id: UUID) -> bool:
        return await deliveries.in_progress(self.conn, invitation_id)

    async def sent_message(self, provider_message_id: str) -> SentMessage | None:
        return await provider_callbacks.sent_message(self.conn, provider_message_id)

    async def mark_failed(self, delivery_id: UUID, error: str) -> bool:
        return await provider_callbacks.mark_failed(self.conn, delivery_id, error)


class _Cooldowns(_Bound):
    async def take(self, pair: Pair, now: datetime, cooldown: timedelta) -> datetime | None:
        return await cooldowns.take(self.conn, pair, now, cooldown)

    async def locked_last_messages(self, pairs: Iterable[Pair]) -> dict[Pair, datetime]:
        return await cooldowns.locked_last_messages(self.conn, pairs)

    async def record(self, pairs: Iterable[Pair], now: datetime) -> None:
        await cooldowns.record(self.conn, pairs, now)

    async def forget_ended(self, cooldown: timedelta) -> None:
        await cooldowns.forget_ended(self.conn, cooldown)


class _DailySends(_Bound):
    async def take_daily(self, caps: Sequence[tuple[DailyKey, int]], day: date) -> DailyKey | None:
        return await daily_sends.take_daily(self.conn, caps, day)

    async def locked_counts(self, day: date, keys: Iterable[DailyKey]) -> dict[DailyKey, int]:
        return await daily_sends.locked_counts(self.conn, day, keys)

    async def add(self, day: date, added: Mapping[DailyKey, int]) -> None:
        await daily_sends.add_counts(self.conn, day, added)


class _Tenants(_Bound):
    async def company_of(self, user_id: UUID) -> UUID | None:
        membership = await tenants.company_of(self.conn, user_id)
        return membership["company_id"] if membership else None

    async def explicit_countries(self, tenant_id: UUID) -> list[str] | None:
        return await tenants.explicit_countries(self.conn, tenant_id)

    async def role_in(self, tenant_id: UUID, user_id: UUID) -> str | None:
        membership = await tenants.company_of(self.conn, user_id)
        return membership["role"] if membership and membership["company_id"] == tenant_id else None

    async def set_countries(self, tenant_id: UUID, countries: list[str], changed_by: str) -> None:
        await tenants.set_countries(self.conn, tenant_id, countries, changed_by)

    async def clear_countries(self, tenant_id: UUID) -> None:
        await tenants.clear_countries(self.conn, tenant_id)

    async def has_member_in(self, tenant_id: UUID, region: str) -> bool:
        return await tenants.has_member_in(self.conn, tenant_id, region)

    async def member_regions(self, tenant_id: UUID) -> list[str]:
        return await tenants.member_regions(self.conn, tenant_id)


class _Accounts(_Bound):
    async def hold_open(self, user_ids: Iterable[UUID]) -> set[UUID]:
        return await closed_accounts.hold_open(self.conn, user_ids)


class _RequestsQueue(_Bound):
    async def take_inviters(self, inviter_id: UUID) -> list[StagedRequest]:
        return await requests_queue.take_inviters(self.conn, inviter_id)


class PostgresInvitationsWork(UnitOfWork):
    """With `claims`, the messages it queues are claimed for this process's delivery worker
    and collected there, to be handed to it at the commit (handlers/sending/handover.py)."""

    def __init__(self, conn: asyncpg.Connection, claims: Claims | None = None) -> None:
        super().__init__(conn)
        self.invitations: Invitations = _Invitations(conn, claims)
        self.deliveries: Deliveries = _Deliveries(conn, claims)
        self.cooldowns: Cooldowns = _Cooldowns(conn)
        self.daily_sends: DailySends = _DailySends(conn)
        self.tenants: Tenants = _Tenants(conn)
        self.accounts: Accounts = _Accounts(conn)
        self.requests: RequestsQueue = _RequestsQueue(conn)
        self.in_own_contexts: list[tuple[IntegrationEvent, EventContext]] = []

    def emit_in(self, context: EventContext, *events: IntegrationEvent) -> None:
        self.in_own_contexts.extend((event, context) for event in events)

    async def write_events(self, outbox: Outbox, context: EventContext) -> None:
        """The events emitted with `emit` in `context`, then those with a context of their
        own (`emit_in`) in theirs."""
        await super().write_events(outbox, context)
        if self.in_own_contexts:
            events, self.in_own_contexts = self.in_own_contexts, []
            await outbox.add_each(self.conn, events)
