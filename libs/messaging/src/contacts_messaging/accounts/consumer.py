"""The consumer group `<service>.accounts`: the directory's `UserDeactivated`, recorded in the
service's schema, with the service's own consequences in the same transaction.

A group of its own, reading `directory.users` only, so that a backlog on another topic (an
import's 200,000 row events) never delays a closure. Exactly once per event (the inbox); the
hooks must be idempotent anyway, since a user may be closed by more than one event.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import asyncpg
from contacts_events import UserDeactivated, topics
from contacts_events.base import IntegrationEvent
from contacts_events.envelope import CloudEvent

from contacts_messaging.accounts import store
from contacts_messaging.accounts.batch_locks import held_exclusively
from contacts_messaging.handlers import EventHandlers
from contacts_messaging.host import Subscription
from contacts_messaging.inbox import Handler

closures = EventHandlers[Sequence[Handler]]()
"""The group's one handler; its dependencies are the service's hooks."""


@closures.on(UserDeactivated)
async def record_closure(
    closed: UserDeactivated, event: CloudEvent, conn: asyncpg.Connection, hooks: Sequence[Handler]
) -> None:
    """Record the closure, then run `hooks` (cancel the user's work) in its transaction."""
    await store.record_closed(conn, closed.user_id, closed.reason.value)
    for hook in hooks:
        await hook(event, conn)


def closed_account(data: IntegrationEvent) -> tuple[UUID, ...]:
    """The account a closure takes exclusively (`store.record_closed`)."""
    return (data.user_id,) if isinstance(data, UserDeactivated) else ()


def closed_accounts_subscription(service: str, *hooks: Handler) -> Subscription:
    """The group of `service`, running `hooks` (an `EventHandlers` registry's bound handler
    for `UserDeactivated`, or a hand-written `Handler`) after each closure is recorded. A
    batch's closed accounts are locked first (batch_locks), before any hook writes a row."""
    return Subscription(
        f"{service}.accounts", (topics.DIRECTORY_USERS,), closures.bind(hooks),
        locks=held_exclusively(closed_account),
    )  # fmt: skip
