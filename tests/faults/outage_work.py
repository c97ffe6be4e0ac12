"""Work a client does while Kafka is down: sign-ups, an invitation, a contact archived and
unarchived, numbers pasted. Every request must succeed at once, the outboxes must grow, and
after the outage the work must be completed (the checks of the bulk run then prove that every
event written meanwhile reached Kafka)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from contacts_testing.local_platform import SERVICE_NAMES, LocalPlatform
from contacts_testing.platform_client import PlatformClient, User, eventually


@dataclass
class OutageWork:
    platform: LocalPlatform
    block: str
    alice: User
    bob: User
    accepted: int = 0
    backlog: dict[str, int] = field(default_factory=dict)
    import_id: str = ""

    def urls(self) -> dict[str, str]:
        return {name: s.url for name, s in self.platform.services.items()}

    async def finished(self, case) -> None:
        """After the outage: the pasted import completed and the invitation was texted."""
        async with PlatformClient(self.urls()) as client:
            job = await client.import_finished(self.alice, self.import_id, seconds=300)
            assert job.counts["ready_to_invite"] == 3
            pending = await eventually(lambda: client.pending(self.alice), lambda items: items and items[0].send_count == 1, 300)  # fmt: skip
            assert pending[0].destination == f"+44{self.block}888001"
        case.notes["outage"] = {"requests_accepted": self.accepted, "outbox_backlog": self.backlog}


async def prepare_outage_work(platform: LocalPlatform, block: str) -> OutageWork:
    """Two users who know each other's ConnectIDs, registered while Kafka is up."""
    platform.ensure_running()
    async with PlatformClient({n: s.url for n, s in platform.services.items()}) as client:
        alice = await client.register("Alice Outage", f"+44{block}888101")
        bob = await client.register("Bob Outage", f"+44{block}888102")

        async def add_bob():
            return await client.add_contact(alice, bob.connect_id)

        added = await eventually(add_bob, lambda r: r.status_code != 404)
        assert added.status_code == 201, added.text
    return OutageWork(platform, block, alice, bob)


async def accept_work_during_outage(case, work: OutageWork, seconds: float) -> None:
    """For `seconds` with Kafka down: requests to every service, each accepted at once."""
    ends = time.monotonic() + seconds
    async with PlatformClient(work.urls()) as client:
        for n in range(3):
            await client.register(f"Signed up {n}", f"+44{work.block}888{200 + n}")
            work.accepted += 1
        invited = await client.invitations.post("/v1/invitations", json={"channel": "sms", "phone": f"+44{work.block}888001"}, headers=work.alice.auth)  # fmt: skip
        assert invited.status_code == 201, invited.text
        for action in ("archive", "unarchive"):
            done = await client.contacts.post(f"/v1/contacts/{work.bob.user_id}/{action}", headers=work.alice.auth)  # fmt: skip
            assert done.status_code == 200, done.text
        text = ", ".join(f"0{work.block} 888{300 + n}" for n in range(3))
        pasted = await client.importer.post("/v1/imports/pasted", json={"text": text}, headers=work.alice.auth)  # fmt: skip
        assert pasted.status_code == 201, pasted.text
        work.import_id = pasted.json()["import_id"]
        work.accepted += 5
    await asyncio.sleep(max(0.0, ends - time.monotonic()))
    admin = await work.platform.admin()  # at the end of the outage: what waits for Kafka
    try:
        for schema in SERVICE_NAMES:
            work.backlog[schema] = await admin.fetchval(f"SELECT count(*) FROM {schema}.outbox WHERE sent_at IS NULL")  # fmt: skip
    finally:
        await admin.close()
    assert all(work.backlog.values()), f"the outboxes did not grow: {work.backlog}"
