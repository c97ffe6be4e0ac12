"""The consumer group `<service>.accounts`: the directory's `UserDeactivated`, recorded in the
service's schema, with the service's own consequences in the same transaction.

A group of its own, reading `directory.users` only, so that a backlog on another topic (an
import's 200,000 row events) never delays a closure. Exactly once per event (the inbox); the
hooks must be idempotent anyway, since a user may be closed by more than one event.
"""

from __future__ import annotations

import asyncpg
from contacts_events import UserDeactivated, topics
from contacts_events.envelope import CloudEvent

from contacts_messaging.accounts import store
from contacts_messaging.host import Subscription
from contacts_messaging.inbox import Handler


def closed_accounts_subscription(service: str, *hooks: Handler) -> Subscription:
    """Record each closure, then run `hooks` (cancel the user's work) in its transaction."""

    async def deactivated(event: CloudEvent, conn: asyncpg.Connection) -> None:
        closure = event.data
        assert isinstance(closure, UserDeactivated)
        await store.record_closed(conn, closure.user_id, closure.reason.value)
        for hook in hooks:
            await hook(event, conn)

    return Subscription(
        f"{service}.accounts", (topics.DIRECTORY_USERS,), {UserDeactivated.name: deactivated}
    )
