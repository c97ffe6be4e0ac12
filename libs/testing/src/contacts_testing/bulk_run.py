"""A bulk import with invitations driven through the running platform over HTTP, as a client
would, with a hook at each phase where a fault test breaks something:

1. `registering`: the mix's registered users sign up (the importer must know them first);
2. `importing`: the list is uploaded, mapped and imported (`on_import` runs once it is under
   way);
3. `inviting`: "Invite contact" for the chosen rows; `on_sending` runs once a fifth of the SMS
   were delivered;
4. `joining`: some invitees register meanwhile (`on_joining` runs after a third of them), each
   retried with its `Idempotency-Key` until the directory answers, as a sign-up backend would.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx

from contacts_testing.auth import bearer
from contacts_testing.bulk_mix import BulkMix
from contacts_testing.platform_client import STAFF, PlatformClient, User, eventually
from contacts_testing.sms_standin import SmsStandIn

Hook = Callable[[], Awaitable[None]]


async def _nothing() -> None:
    return None


@dataclass
class BulkRun:
    client: PlatformClient
    admin_url: str
    mix: BulkMix
    sms: SmsStandIn
    on_import: Hook = _nothing
    on_sending: Hook = _nothing
    on_joining: Hook = _nothing
    seconds: float = 1500
    owner: User | None = None
    import_id: str = ""
    joined: dict[str, str] = field(default_factory=dict)  # phone -> user id
    registered: dict[str, str] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)
    retried: list[str] = field(default_factory=list)  # requests asked again, and why

    async def run(self) -> None:
        started = time.monotonic()
        owner_phone = f"+44{self.mix.block}999999"
        owner = await self.register_retrying("Owner", owner_phone)
        self.owner = User(owner["user_id"], owner["connect_id"], owner_phone, "Owner")
        users = await self._in_parallel(self.mix.registered, self._register_mix_user)
        self.registered = dict(zip(self.mix.registered, users, strict=True))
        await self._until_the_importer_knows(self.mix.registered)
        self.phases["registering"] = time.monotonic() - started
        await self._import()
        self.phases["importing"] = time.monotonic() - started - sum(self.phases.values())
        await asyncio.gather(self._invite(), self._join())
        self.phases["inviting and joining"] = time.monotonic() - started - sum(self.phases.values())

    async def _register_mix_user(self, phone: str) -> str:
        user_id: str = (await self.register_retrying(f"User {phone[-6:]}", phone))["user_id"]
        return user_id

    async def _until_the_importer_knows(self, phones: list[str]) -> None:
        admin = await asyncpg.connect(self.admin_url)
        try:
            sql = (
                "SELECT count(*) FROM importer.registered_users WHERE phone_e164 = ANY($1::text[])"
            )
            await eventually(lambda: admin.fetchval(sql, phones), lambda n: n == len(phones), self.seconds)  # fmt: skip
        finally:
            await admin.close()

    async def register_retrying(self, name: str, phone: str) -> dict[str, Any]:
        """Sign a user up, retrying through outages with one idempotency key."""
        headers = {**bearer(STAFF, "service"), "Idempotency-Key": str(uuid.uuid4())}
        body = {"display_name": name, "phone": phone}

        async def attempt() -> httpx.Response | None:
            try:
                return await self.client.directory.post("/v1/users", json=body, headers=headers)
            except httpx.TransportError:
                return None

        done = await eventually(attempt, lambda r: r is not None and r.status_code < 500, self.seconds)  # fmt: skip
        assert done is not None
        assert done.status_code in (200, 201), done.text
        user: dict[str, Any] = done.json()
        return user

    async def _in_parallel(
        self, items: list[str], work: Callable[[str], Awaitable[str]], workers: int = 8
    ) -> list[str]:
        results: dict[str, str] = {}
        queue = list(items)

        async def worker() -> None:
            while queue:
                item = queue.pop()
                results[item] = await work(item)

        await asyncio.gather(*(worker() for _ in range(workers)))
        return [results[item] for item in items]

    async def _get(self, path: str) -> dict[str, Any]:
        """GET on the importer, retried through outages."""
        assert self.owner is not None

        async def attempt() -> httpx.Response | None:
            try:
                return await self.client.importer.get(path, headers=self.owner.auth)  # type: ignore[union-attr]
            except httpx.TransportError:
                return None

        found = await eventually(attempt, lambda r: r is not None and r.status_code == 200, self.seconds)  # fmt: skip
        assert found is not None
        body: dict[str, Any] = found.json()
        return body

    async def _import(self) -> None:
        assert self.owner is not None
        auth = self.owner.auth
        files = {"file": ("bulk.csv", self.mix.csv(), "text/csv")}
        uploaded = await self.client.importer.post("/v1/imports/files", files=files, headers=auth)
        assert uploaded.status_code == 201, uploaded.text
        self.import_id = uploaded.json()["import_id"]
        path = f"/v1/imports/{self.import_id}"
        mapped = await self.client.importer.put(f"{path}/mapping", json={"phone": "Mobile", "display_name": "Name"}, headers=auth)  # fmt: skip
        assert mapped.status_code == 200, mapped.text
        await eventually(
            lambda: self._get(path), lambda j: j["status"] == "extracted", self.seconds
        )
        started = await self.client.importer.post(f"{path}/start", headers=auth)
        assert started.status_code == 200, started.text
        await eventually(lambda: self._get(path), lambda j: j["progress"] > 0, self.seconds)
        await self.on_import()
        await eventually(
            lambda: self._get(path), lambda j: j["status"] == "completed", self.seconds
        )

    async def _invite(self) -> None:
        """Ask "Invite contact" as a tenant's backend does: with an `Idempotency-Key`, and
        again with the same key when the connection fails before the answer (a lost answer
        must neither lose the invitations nor send them twice)."""
        assert self.owner is not None
        headers = {**self.owner.auth, "Idempotency-Key": str(uuid.uuid4())}
        path, body = f"/v1/imports/{self.import_id}/invitations", {"rows": self.mix.invited_rows}

        async def attempt() -> httpx.Response | None:
            try:
                return await self.client.importer.post(path, json=body, headers=headers)
            except httpx.TransportError as lost:
                self.retried.append(f"invite: {lost!r}")
                return None

        invited = await eventually(attempt, lambda r: r is not None and r.status_code < 500, 120)
        assert invited is not None
        assert invited.json() == {"requested": len(self.mix.invited), "skipped": 0}, invited.text
        fifth = len(self.mix.invited) // 5

        async def delivered() -> int:
            return len(self.sms.delivered)

        await eventually(delivered, lambda n: n >= fifth, self.seconds)
        await self.on_sending()

    async def _join(self) -> None:
        """Invitees register once their SMS arrived (a third of them before `on_joining`)."""
        third = len(self.mix.joiners) // 3
        for number, phone in enumerate(self.mix.joiners):
            if number == third:
                await self.on_joining()
            await eventually(self._texted, lambda texted, p=phone: p in texted, self.seconds)  # type: ignore[misc]
            user = await self.register_retrying(f"Joiner {phone[-6:]}", phone)
            self.joined[phone] = user["user_id"]

    async def _texted(self) -> set[str]:
        return {message["To"] for message in list(self.sms.delivered.values())}
