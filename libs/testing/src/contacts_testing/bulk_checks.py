"""What must hold after a bulk run, whatever broke during it: every row has exactly one status
(the expected one), every expected contact and invitation exists exactly once, every event the
services wrote to their outboxes reached Kafka, one event per fact, and no SMS went out twice."""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

import asyncpg
from contacts_events import topics
from contacts_events.kafka_binding import header_map
from contacts_messaging import bulk

from contacts_testing.audit import AuditConsumer
from contacts_testing.bulk_run import BulkRun
from contacts_testing.local_platform import SERVICE_NAMES
from contacts_testing.platform_client import eventually


def row_fact(event: Any) -> tuple[str, int, uuid.UUID] | None:
    """The audit consumer's summary of an ImportRowValidated: (import, row, event id)."""
    if event.name != "ImportRowValidated":
        return None
    return (str(event.data.import_id), event.data.row_number, event.id)


def not_a_row(event: Any) -> bool:
    """Keep every event whole except the one-per-row ones (summarised by `row_fact`)."""
    return bool(event.name != "ImportRowValidated")


async def settle(admin: asyncpg.Connection, run: BulkRun, since: datetime, seconds: float) -> float:
    """Wait until the platform is done with the run: outboxes drained, every invitation sent
    or accepted, every contact made. Return how long it took."""
    started = time.monotonic()
    assert run.owner is not None
    owner = uuid.UUID(run.owner.user_id)
    backlog = " + ".join(
        f"(SELECT count(*) FROM {s}.outbox WHERE sent_at IS NULL)" for s in SERVICE_NAMES
    )
    open_sends = "SELECT count(*) FROM invitations.deliveries WHERE status IN ('queued', 'sending')"
    contacts = "SELECT count(*) FROM contacts.contacts WHERE owner_id = $1"
    wanted = len(run.registered) + len(run.joined)
    await eventually(lambda: admin.fetchval(f"SELECT {backlog}"), lambda n: n == 0, seconds)
    await eventually(lambda: admin.fetchval(open_sends), lambda n: n == 0, seconds)
    await eventually(lambda: admin.fetchval(contacts, owner), lambda n: n >= wanted, seconds)  # fmt: skip
    await eventually(lambda: admin.fetchval(f"SELECT {backlog}"), lambda n: n == 0, seconds)
    return time.monotonic() - started


async def check_rows(admin: asyncpg.Connection, run: BulkRun) -> int:
    rows = await admin.fetch(
        "SELECT row_number, status FROM importer.import_row_results WHERE import_id = $1",
        uuid.UUID(run.import_id),
    )
    found = {r["row_number"]: r["status"] for r in rows}
    assert len(rows) == len(found) == run.mix.rows
    wrong = {n: (found.get(n), s) for n, s in run.mix.statuses.items() if found.get(n) != s}
    assert not wrong, f"{len(wrong)} rows with another status, e.g. {list(wrong.items())[:5]}"
    return len(rows)


async def check_contacts(admin: asyncpg.Connection, run: BulkRun) -> int:
    assert run.owner is not None
    owner = uuid.UUID(run.owner.user_id)
    mine = await admin.fetch(
        "SELECT contact_user_id, source FROM contacts.contacts WHERE owner_id = $1", owner
    )
    expected = {uuid.UUID(u): "list_import" for u in run.registered.values()}
    expected |= {uuid.UUID(u): "invitation" for u in run.joined.values()}
    assert {r["contact_user_id"]: r["source"] for r in mine} == expected
    assert len(mine) == len(expected)  # (owner, contact) is the key: never twice
    back = await admin.fetchval(
        "SELECT count(*) FROM contacts.contacts WHERE contact_user_id = $1"
        " AND owner_id = ANY($2::uuid[])",
        owner, [uuid.UUID(u) for u in run.joined.values()],
    )  # fmt: skip
    assert back == len(run.joined), "every invitee who joined has the inviter as a contact"
    return len(mine) + len(run.joined)


async def check_invitations(admin: asyncpg.Connection, run: BulkRun) -> int:
    assert run.owner is not None
    found = await admin.fetch(
        "SELECT phone_e164, status FROM invitations.invitations WHERE inviter_id = $1",
        uuid.UUID(run.owner.user_id),
    )
    per_phone = Counter(r["phone_e164"] for r in found)
    assert set(per_phone) == set(run.mix.invited)
    assert set(per_phone.values()) == {1}, "an invitation exists twice"
    statuses = {r["phone_e164"]: r["status"] for r in found}
    expected = {p: "accepted" if p in run.joined else "sent" for p in run.mix.invited}
    assert statuses == expected
    texted = Counter(m["To"] for m in list(run.sms.delivered.values()))
    listed = {run.mix.phone(i) for i in range(run.mix.rows)}
    mine = {phone: n for phone, n in texted.items() if phone in listed}
    assert mine == dict.fromkeys(run.mix.invited, 1), "an SMS was missed or sent twice"
    return len(found)


async def check_events(
    admin: asyncpg.Connection, run: BulkRun, audit: AuditConsumer, since: datetime
) -> int:
    """Every event written since `since` is on Kafka, and each fact was announced once."""
    expected: list[uuid.UUID] = []
    for schema in SERVICE_NAMES:  # the platform's topics, not a service's internal ones
        expected += await outbox_event_ids(admin, schema, since)
    await audit.wait_for_ids(expected, seconds=600)
    assert audit.undecodable == []

    per_row: dict[int, set[uuid.UUID]] = defaultdict(set)
    for import_id, row, event_id in audit.summaries:
        if import_id == run.import_id:
            per_row[row].add(event_id)
    assert set(per_row) == set(run.mix.statuses)
    assert all(len(ids) == 1 for ids in per_row.values()), "a row was announced twice"

    assert run.owner is not None
    owner = run.owner.user_id
    _one_each(audit, "ContactAdded", lambda e: str(e.data.contact_user_id), key=owner,
              expected=set(run.registered.values()) | set(run.joined.values()))  # fmt: skip
    _one_each(audit, "ImportRowMatched", lambda e: str(e.data.matched_user_id), key=run.import_id,
              expected=set(run.registered.values()))  # fmt: skip
    _one_each(audit, "InvitationRequested", lambda e: e.data.phone_e164, key=run.import_id,
              expected=set(run.mix.invited))  # fmt: skip
    _one_each(audit, "InvitationSent", lambda e: e.data.phone_e164, expected=set(run.mix.invited),
              where=lambda e: str(e.data.inviter_id) == owner)  # fmt: skip
    _one_each(audit, "InvitationAccepted", lambda e: str(e.data.invitee_user_id),
              expected=set(run.joined.values()), where=lambda e: str(e.data.inviter_id) == owner)  # fmt: skip
    return len(expected)


async def outbox_event_ids(
    admin: asyncpg.Connection, schema: str, since: datetime
) -> list[uuid.UUID]:
    """The id of every event `schema`'s outbox holds for the platform's topics since `since`:
    a row's own, or each of a bulk row's records (bulk.py)."""
    rows = await admin.fetch(
        f"SELECT event_id, bulk, headers, value FROM {schema}.outbox"
        " WHERE created_at >= $1 AND topic = ANY($2)",
        since, list(topics.ALL),
    )  # fmt: skip
    ids = [r["event_id"] for r in rows if not r["bulk"]]
    for row in (r for r in rows if r["bulk"]):
        for _value, headers in bulk.expand(json.loads(row["headers"]), row["value"]):
            ids.append(uuid.UUID(header_map(headers)["ce_id"]))
    return ids


def _one_each(audit: AuditConsumer, name: str, fact: Any, expected: set[str], **match: Any) -> None:
    ids: dict[str, set[uuid.UUID]] = defaultdict(set)
    for event in audit.matching(name, **match):
        ids[fact(event)].add(event.id)
    assert set(ids) == expected, f"{name}: {len(set(ids) ^ expected)} facts missing or extra"
    assert all(len(found) == 1 for found in ids.values()), f"{name} announced twice"
