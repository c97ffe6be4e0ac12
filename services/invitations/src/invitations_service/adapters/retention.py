"""The invitations service's own tables that would gain rows forever, and how long each row is
kept (docs/data-retention.md, "The invitations service's tables").

Each rule is an `Expiry` of the messaging library, run by the retention loop of every instance
(`ServiceHost.add_purge`) in short batches through an index on its time column (migration
0006). `send_cooldowns` is not here: the expiry task (handlers/expiry.py) drops the
cool-downs that ended.
"""

from __future__ import annotations

from datetime import timedelta

from contacts_messaging.retention import Expiry

# The caps read today's counters only (`now.date()`, UTC). Yesterday's row may still be
# written by a request that took its date before midnight and commits after; a day more is
# margin. (`day` is a date: the purge's cut-off is compared as the date it falls on.)
DAILY_SENDS_KEPT = timedelta(days=2)


def invitations_expiries(failed_request_retention: timedelta) -> tuple[Expiry, ...]:
    """The purges of the invitations service's tables. A waiting request (`failed_at` null)
    is never purged: only the processor takes it off the queue."""
    return (
        Expiry("daily_sends", "day", DAILY_SENDS_KEPT.total_seconds()),
        Expiry("invitation_requests", "failed_at", failed_request_retention.total_seconds()),
    )
