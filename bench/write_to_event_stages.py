"""Where an invite's time goes between its HTTP answer and its `InvitationSent` on Kafka, from
the timestamps the invitations service keeps (write_to_event.py prints it after the loaded
phase; one clock: the services, Postgres and the bench share the machine).

- *answer to record*: the HTTP answer to the start of the transaction that recorded the send
  (`deliveries.sent_at`): the send's start (at once for a message handed over at the commit;
  after the worker's claim otherwise), the provider's answer, the recorder's linger. The
  table's title says how many invites' messages were claimed in their own request (their
  claim, `claimed_until` minus the lease, before the answer) and so handed over.
- *record to Kafka*: that transaction's start to the record's CreateTime (the producer's
  append): the record's commit, NOTIFY, the relay's wake, its claim of the outbox rows (the
  relay marks a batch sent with its next claim, so `outbox.sent_at` no longer tells when it
  claimed one).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Sequence

import asyncpg
from invitations_service.settings import InvitationsSettings
from measure import print_table, summarise
from write_to_event_load import Write

_TIMES = """
SELECT i.invitation_id::text AS id,
       extract(epoch FROM d.claimed_until) - $2 AS claimed,
       extract(epoch FROM d.sent_at) AS recorded
FROM invitations i
JOIN deliveries d ON d.invitation_id = i.invitation_id AND d.kind = 'first' AND d.status = 'sent'
WHERE i.invitation_id = ANY($1::uuid[])
"""
LEASE_SECONDS = InvitationsSettings.model_fields["delivery_lease_seconds"].default


def print_invite_stages(dsn: str, schema: str, writes: Sequence[Write], seconds: float) -> None:
    invites = {w.event_key: w for w in writes if w.kind == "invite" and w.event_ms and w.answered}
    rows = asyncio.run(_times(dsn, schema, list(invites)))
    stages: dict[str, list[float]] = {
        "answer to record": [],
        "record to Kafka": [],
    }
    handed = 0
    for row in rows:
        write = invites[row["id"]]
        assert write.event_ms is not None
        handed += float(row["claimed"]) < write.answered
        marks = [write.answered, row["recorded"], write.event_ms / 1000]
        for name, (start, end) in zip(stages, itertools.pairwise(marks), strict=True):
            stages[name].append((float(end) - float(start)) * 1000)
    rate = f"{len(invites) / seconds:.0f}/s"
    print_table(
        f"an invite after its HTTP answer ({len(rows)} of {len(invites)} invites, {handed} claimed"
        " in their request: stage by stage)",
        [summarise(name, rate, times, len(times), seconds) for name, times in stages.items()],
    )


async def _times(dsn: str, schema: str, ids: list[str]) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(dsn, server_settings={"search_path": schema})
    try:
        rows: list[asyncpg.Record] = await conn.fetch(_TIMES, ids, LEASE_SECONDS)
        return rows
    finally:
        await conn.close()
