"""What a queued message keeps of the request that asked for it (its correlation, causation,
tenant and actor), so that what happens to the message later is announced in that context."""

from __future__ import annotations

import asyncpg
from contacts_events import EventContext

ContextValues = tuple[str, str | None, str | None, str | None]
CONTEXT_COLUMNS = "correlation_id, causation_id, tenant, actor"  # in ContextValues order


def context_values(context: EventContext) -> ContextValues:
    """What a delivery keeps of the context of the request that queued it."""
    return context.correlation_id, context.causation_id, context.tenant, context.actor


def context_of(row: asyncpg.Record) -> EventContext | None:
    """The context a delivery was queued in; None for one queued before contexts were kept."""
    if row["correlation_id"] is None:
        return None
    return EventContext(
        correlation_id=row["correlation_id"], causation_id=row["causation_id"],
        tenant=row["tenant"], actor=row["actor"],
    )  # fmt: skip
