"""A consumer batch's account locks, taken before its first event is applied.

Handlers take an account's lock as they apply each event: shared to hold it open
(`store.hold_open`, an addition), exclusive to change what others copy from it
(`store.hold_exclusively`, a profile change; `store.record_closed`, a closure). In one batch,
taken event by event, they were taken in the events' order, and a transaction could hold one
account, write a row (a list's name counter, say), then wait for another account that a second
transaction held while it waited for that row: a deadlock, which Postgres breaks after a second
by failing one of them (seen in the fault tests). Taking every account of the batch first, in
one call and in id order (`hold_accounts_open`, `hold_accounts_exclusively`), leaves nothing
to wait for in between: the locks a handler takes again are its own already.

A subscription names the accounts of each event (`accounts_of`: none for an event that locks
nothing), and the mode its handlers take them in (`Subscription.locks`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from uuid import UUID

import asyncpg
from contacts_events.base import IntegrationEvent
from contacts_events.envelope import CloudEvent

from contacts_messaging.accounts import store
from contacts_messaging.inbox import BatchLocks

AccountsOf = Callable[[IntegrationEvent], Iterable[UUID]]
"""The accounts whose lock a handler takes for this event's data (empty: none)."""


def held_open(accounts_of: AccountsOf) -> BatchLocks:
    """The batch's accounts held open (shared), as its handlers' `hold_open` would."""

    async def take(events: Sequence[CloudEvent], conn: asyncpg.Connection) -> None:
        await store.hold_open(conn, _accounts(events, accounts_of))

    return take


def held_exclusively(accounts_of: AccountsOf) -> BatchLocks:
    """The batch's accounts held exclusively, as its handlers' `hold_exclusively` would."""

    async def take(events: Sequence[CloudEvent], conn: asyncpg.Connection) -> None:
        await store.hold_all_exclusively(conn, _accounts(events, accounts_of))

    return take


def _accounts(events: Sequence[CloudEvent], accounts_of: AccountsOf) -> set[UUID]:
    return {account for event in events for account in accounts_of(event.data)}
