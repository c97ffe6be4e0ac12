"""The writes of the write-to-event bench and their events: add a contact, archive one, invite.

The timed writes are sent by pacer (bench/pacer.py, Rust): each at its due time whatever the
earlier ones are doing (open loop), for about 0.07 ms of CPU a request, where the Python client
used before (aiohttp) took about 1 ms of the same two cores and fell hundreds of milliseconds
behind its due times when they were busy. A write's latency runs from its due time to the
CreateTime of its event's Kafka record, which the service's outbox relay's producer sets when
it sends the record. Each write carries a correlation id of its own (`X-Correlation-ID`), which
the services put on the events it causes: its event is the one of its kind with that id
(`ContactAdded`, `ContactArchived`, or `InvitationSent` for an invite). pacer also notes how late
it sent each write (no free connection, or its timer late), printed apart.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiokafka import AIOKafkaConsumer
from contacts_events import UserRegistered
from contacts_servicekit.logging import CORRELATION_ID_HEADER
from contacts_testing.auth import add_body, bearer
from pacer import attack, ensure_pacer, read_results

KINDS = ("add", "archive", "invite")
CONNECTIONS = 100  # pacer's: requests in flight at most (a write due when all are busy waits, and that counts)
EVENT_OF = {"add": b"ContactAdded", "archive": b"ContactArchived", "invite": b"InvitationSent"}


@dataclass
class Write:
    """One API write: what it does, when it was due, and what its event was found to say."""

    kind: str
    owner: UserRegistered
    contact: UserRegistered | None = None  # add and archive
    phone: str = ""  # invite
    correlation_id: str = ""  # sent as X-Correlation-ID; its event carries it
    due: float = 0.0  # time.time() the write was due (open loop: its latency counts from then)
    status: int = 0
    event_key: str = ""  # the invitation id of an invite (from its event)
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

    def request(
        self, contacts_url: str, invitations_url: str
    ) -> tuple[str, str, dict[str, Any] | None]:
        """(url, its Authorization header, the JSON body or None)."""
        me = _authorization(self.owner.user_id)
        if self.kind == "invite":
            body = {"channel": "sms", "phone": self.phone, "name": "Bench Invitee"}
            return f"{invitations_url}/v1/invitations", me, body
        assert self.contact is not None
        if self.kind == "add":
            body = add_body(self.owner.user_id, self.contact.connect_id)
            return f"{contacts_url}/v1/contacts", me, body
        return f"{contacts_url}/v1/contacts/{self.contact.user_id}/archive", me, None

    def pacer_target(self, contacts_url: str, invitations_url: str) -> str:
        """This write as a line of pacer's targets (vegeta's JSON format, body in base64)."""
        url, authorization, body = self.request(contacts_url, invitations_url)
        header = {"Authorization": [authorization], CORRELATION_ID_HEADER: [self.correlation_id]}
        line: dict[str, Any] = {"method": "POST", "url": url, "header": header}
        if body is not None:
            header["Content-Type"] = ["application/json"]
            line["body"] = base64.b64encode(json.dumps(body).encode()).decode()
        return json.dumps(line)

    async def send(self, http: aiohttp.ClientSession) -> None:
        """Send it with aiohttp (the contacts added ahead of the timed writes)."""
        url, authorization, body = self.request("", "")
        headers = {"Authorization": authorization, CORRELATION_ID_HEADER: self.correlation_id}
        try:
            async with http.post(url, json=body, headers=headers) as answer:
                self.status = answer.status
        except (aiohttp.ClientError, TimeoutError):
            self.status = -1


@functools.cache
def _authorization(user_id: uuid.UUID) -> str:
    """One bearer token per owner for the whole run (minting one per write took seconds)."""
    return bearer(user_id)["Authorization"]


@contextlib.asynccontextmanager
async def session(url: str) -> AsyncIterator[aiohttp.ClientSession]:
    """A client session for one service: 400 connections, 30 s a request."""
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=400)
    async with aiohttp.ClientSession(url, timeout=timeout, connector=connector) as http:
        yield http


def open_loop(
    writes: Sequence[Write], rate: float, contacts_url: str, invitations_url: str, work_dir: Path
) -> None:
    """Send `writes` with pacer at `rate` per second, in order, each at its due time; note on
    each its due time, status, answer time and how late pacer sent it."""
    ensure_pacer()
    targets, output = work_dir / "wte-targets.jsonl", work_dir / "wte-results.csv"
    targets.write_text(
        "".join(w.pacer_target(contacts_url, invitations_url) + "\n" for w in writes)
    )
    attack(targets, rate, len(writes) / rate, output, connections=CONNECTIONS, timeout="30s")
    results = read_results(output)
    if len(results) != len(writes):
        raise RuntimeError(f"pacer answered for {len(results)} of {len(writes)} writes")
    for write, result in zip(writes, results, strict=True):
        write.due = result.sent_ns / 1e9
        write.status = result.code
        write.started = write.due + result.wait_ns / 1e9
        write.answered = write.due + result.latency_ns / 1e9 if result.code else 0.0


async def find_events(
    bootstrap: str, topics: Sequence[str], writes: Sequence[Write], seconds: float
) -> None:
    """Read `topics` from the beginning until every successful write has its event (or
    `seconds` passed), and note each one's CreateTime on its write (and an invite's id)."""
    waiting = {(EVENT_OF[w.kind], w.correlation_id): w for w in writes if 200 <= w.status < 300}
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
                headers = dict(record.headers)
                kind = headers.get("ce_type", b"").split(b".")[-2]
                correlation_id = headers.get("ce_correlationid", b"").decode()
                write = waiting.pop((kind, correlation_id), None)
                if write is not None and record.value is not None:
                    write.event_ms = record.timestamp
                    if kind == b"InvitationSent":
                        write.event_key = str(json.loads(record.value)["invitation_id"])
    finally:
        await consumer.stop()
