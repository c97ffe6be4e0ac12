"""The writes of the write-to-event bench and their events: add a contact, archive one, invite.

Each write is sent at its due time whatever the earlier ones are doing (open loop), and its
latency runs from that due time to the CreateTime of its event's Kafka record, which the
service's outbox relay's producer sets when it sends the record. Each write has one event,
found by what the write's answer names: `ContactAdded` and `ContactArchived` by (owner,
contact), `InvitationSent` by the invitation's id.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import httpx
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

    @property
    def latency_ms(self) -> float | None:
        return None if self.event_ms is None else self.event_ms - self.due * 1000

    @property
    def answer_ms(self) -> float | None:
        """Due time to the HTTP answer: the API's share of `latency_ms`."""
        return (self.answered - self.due) * 1000 if self.answered else None

    async def send(self, contacts: httpx.AsyncClient, invitations: httpx.AsyncClient) -> None:
        me = bearer(self.owner.user_id)
        try:
            if self.kind == "invite":
                body = {"channel": "sms", "phone": self.phone, "name": "Bench Invitee"}
                answer = await invitations.post("/v1/invitations", json=body, headers=me)
                self.event_key = answer.json().get("invitation_id", "") if answer.is_success else ""
            else:
                assert self.contact is not None
                answer = await self._contact_write(contacts, me, self.contact)
                self.event_key = f"{self.owner.user_id}/{self.contact.user_id}"
            self.status, self.answered = answer.status_code, time.time()
        except httpx.HTTPError:
            self.status = -1

    async def _contact_write(
        self, http: httpx.AsyncClient, me: dict[str, str], contact: UserRegistered
    ) -> httpx.Response:
        if self.kind == "add":
            body = add_body(self.owner.user_id, contact.connect_id)
            return await http.post("/v1/contacts", json=body, headers=me)
        return await http.post(f"/v1/contacts/{contact.user_id}/archive", headers=me)


async def open_loop(
    writes: Sequence[Write], rate: float, contacts_url: str, invitations_url: str
) -> float:
    """Send `writes` at `rate` per second, each at its due time; return when the first was due."""
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=400)
    async with (
        httpx.AsyncClient(base_url=contacts_url, limits=limits, timeout=30) as contacts,
        httpx.AsyncClient(base_url=invitations_url, limits=limits, timeout=30) as invitations,
    ):
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
