"""The writes of the write-to-event bench and their events: add a contact, archive one, invite.

Each write is sent at its due time whatever the earlier ones are doing (open loop), and its
latency runs from that due time to the CreateTime of its event's Kafka record, which the
service's outbox relay's producer sets when it sends the record. Each write has one event,
found by what the write's answer names: `ContactAdded` and `ContactArchived` by (owner,
contact), `InvitationSent` by the invitation's id.

The client is aiohttp's: with httpx, the load generator's own Python (its connection pool's
bookkeeping) fell behind the due times on a busy machine, and that lag counted as the API's.
Each write notes when its request actually started, so the generator's lag is printed apart.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiokafka import AIOKafkaConsumer
from contacts_events import UserRegistered
from contacts_testing.auth import add_body, bearer

KINDS = ("add", "archive", "invite")
EVENT_OF = {"add": b"ContactAdded", "archive": b"ContactArchived", "invite": b"InvitationSent"}


@dataclass
class Write:
    """One API write: what it does, when it was due, and what its event was found to say."""

    kind: str
    owner: UserRegistered
    contact: UserRegistered | None = None  # add and archive
    phone: str = ""  # invite
    due: float = 0.0  # time.time() the write was due (open loop: its latency counts from then)
    status: int = 0
    event_key: str = ""  # what names its event: "owner/contact" or the invitation id
    event_ms: int | None = None  # its event's CreateTime
    answered: float = 0.0  # time.time() its HTTP answer arrived
    started: float = 0.0  # time.time() the load generator got to sending it

    @property
    def latency_ms(self) -> float | None:
        return None if self.event_ms is None else self.event_ms - self.due * 1000

    @property
    def answer_ms(self) -> float | None:
        """Due time to the HTTP answer: the API's share of `latency_ms`."""
        return (self.answered - self.due) * 1000 if self.answered else None

    @property
    def start_lag_ms(self) -> float | None:
        """Due time to the start of its request: the load generator's own lateness."""
        return (self.started - self.due) * 1000 if self.started else None

    async def send(
        self, contacts: aiohttp.ClientSession, invitations: aiohttp.ClientSession
    ) -> None:
        self.started = time.time()
        try:
            async with self._request(contacts, invitations) as answer:
                data = await answer.json() if answer.ok else {}
                self.status, self.answered = answer.status, time.time()
        except (aiohttp.ClientError, TimeoutError):
            self.status = -1
            return
        if self.kind == "invite":
            self.event_key = str(data.get("invitation_id", ""))
        else:
            assert self.contact is not None
            self.event_key = f"{self.owner.user_id}/{self.contact.user_id}"

    def _request(self, contacts: aiohttp.ClientSession, invitations: aiohttp.ClientSession) -> Any:
        me = bearer(self.owner.user_id)
        if self.kind == "invite":
            body = {"channel": "sms", "phone": self.phone, "name": "Bench Invitee"}
            return invitations.post("/v1/invitations", json=body, headers=me)
        assert self.contact is not None
        if self.kind == "add":
            body = add_body(self.owner.user_id, self.contact.connect_id)
            return contacts.post("/v1/contacts", json=body, headers=me)
        return contacts.post(f"/v1/contacts/{self.contact.user_id}/archive", headers=me)


@contextlib.asynccontextmanager
async def sessions(
    contacts_url: str, invitations_url: str
) -> AsyncIterator[tuple[aiohttp.ClientSession, aiohttp.ClientSession]]:
    """A client session for each service, 400 connections each, 30 s a request."""
    timeout = aiohttp.ClientTimeout(total=30)
    async with (
        aiohttp.ClientSession(contacts_url, timeout=timeout, connector=aiohttp.TCPConnector(limit=400)) as contacts,
        aiohttp.ClientSession(invitations_url, timeout=timeout, connector=aiohttp.TCPConnector(limit=400)) as invitations,
    ):  # fmt: skip
        yield contacts, invitations


async def open_loop(
    writes: Sequence[Write], rate: float, contacts_url: str, invitations_url: str
) -> float:
    """Send `writes` at `rate` per second, each at its due time; return when the first was due."""
    async with sessions(contacts_url, invitations_url) as (contacts, invitations):
        start = time.time() + 0.2
        tasks = []
        for index, write in enumerate(writes):
            write.due = start + index / rate
            await asyncio.sleep(max(0.0, write.due - time.time()))
            tasks.append(asyncio.create_task(write.send(contacts, invitations)))
        await asyncio.gather(*tasks)
    return start


def event_key(kind: bytes, value: bytes) -> str:
    data = json.loads(value)
    if kind == b"InvitationSent":
        return str(data["invitation_id"])
    return f"{data['owner_id']}/{data['contact_user_id']}"


async def find_events(
    bootstrap: str, topics: Sequence[str], writes: Sequence[Write], seconds: float
) -> None:
    """Read `topics` from the beginning until every successful write has its event (or
    `seconds` passed), and note each one's CreateTime on its write."""
    waiting = {(EVENT_OF[w.kind], w.event_key): w for w in writes if 200 <= w.status < 300}
    consumer = AIOKafkaConsumer(
        *topics, bootstrap_servers=bootstrap, group_id=f"bench-wte-{uuid.uuid4().hex[:8]}",
        enable_auto_commit=False, auto_offset_reset="earliest",
    )  # fmt: skip
    await consumer.start()
    deadline = time.monotonic() + seconds
    try:
        while waiting and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=500, max_records=5000)
            for record in (r for batch in batches.values() for r in batch):
                kind = dict(record.headers).get("ce_type", b"").split(b".")[-2]
                if kind in EVENT_OF.values() and record.value is not None:
                    write = waiting.pop((kind, event_key(kind, record.value)), None)
                    if write is not None:
                        write.event_ms = record.timestamp
    finally:
        await consumer.stop()
