"""A client of the running platform, as a web or mobile front end would drive it over HTTP: one
`httpx.AsyncClient` per service, tokens per user, and the few multi-step flows tests repeat."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from contacts_testing.auth import bearer

T = TypeVar("T")

STAFF = "signup-backend"


async def eventually(
    call: Callable[[], Awaitable[T]], accept: Callable[[T], object], seconds: float = 60
) -> T:
    """Call until `accept(result)` is truthy (eventual consistency through Kafka); return it."""
    deadline = time.monotonic() + seconds
    while True:
        result = await call()
        if accept(result):
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"never accepted within {seconds} s: {result!r}")
        await asyncio.sleep(0.2)


def correlation() -> dict[str, str]:
    """A fresh `X-Correlation-ID` header; its value is the id the events must carry."""
    return {"X-Correlation-ID": f"e2e-{uuid.uuid4()}"}


@dataclass
class User:
    user_id: str
    connect_id: str
    phone: str
    name: str

    @property
    def auth(self) -> dict[str, str]:
        return bearer(self.user_id)


@dataclass
class PlatformClient:
    urls: Mapping[str, str]
    http: dict[str, httpx.AsyncClient] = field(default_factory=dict)

    async def __aenter__(self) -> PlatformClient:
        for name, url in self.urls.items():
            self.http[name] = httpx.AsyncClient(base_url=url, timeout=60)
        return self

    async def __aexit__(self, *_: object) -> None:
        for client in self.http.values():
            await client.aclose()

    @property
    def directory(self) -> httpx.AsyncClient:
        return self.http["directory"]

    @property
    def contacts(self) -> httpx.AsyncClient:
        return self.http["contacts"]

    @property
    def importer(self) -> httpx.AsyncClient:
        return self.http["importer"]

    @property
    def invitations(self) -> httpx.AsyncClient:
        return self.http["invitations"]

    async def register(
        self, name: str, phone: str, headers: Mapping[str, str] | None = None, **extra: Any
    ) -> User:
        """Register a user as the sign-up backend does (a `service` token)."""
        body = {"display_name": name, "phone": phone, **extra}
        created = await self.directory.post(
            "/v1/users", json=body, headers={**bearer(STAFF, "service"), **(headers or {})}
        )
        assert created.status_code == 201, created.text
        user = created.json()
        return User(user["user_id"], user["connect_id"], phone, name)

    async def add_contact(
        self, user: User, connect_id: str, headers: Mapping[str, str] | None = None
    ) -> httpx.Response:
        """Add by ConnectID as the apps do: look it up at the directory (which gives the
        `add_token`), then add it at the contacts service; the look-up's answer if it failed."""
        found = await self.directory.get(f"/v1/connect-ids/{connect_id}", headers=user.auth)
        if found.status_code != 200:
            return found
        body = {"connect_id": connect_id, "add_token": found.json()["add_token"]}
        return await self.contacts.post(
            "/v1/contacts", json=body, headers={**user.auth, **(headers or {})}
        )

    async def import_finished(
        self, user: User, import_id: str, seconds: float = 120
    ) -> dict[str, Any]:
        async def read() -> httpx.Response:
            return await self.importer.get(f"/v1/imports/{import_id}", headers=user.auth)

        done = await eventually(
            read, lambda r: r.json()["status"] in ("completed", "failed"), seconds
        )
        job: dict[str, Any] = done.json()
        return job

    async def contact_names(self, user: User, list_name: str = "active") -> list[str]:
        page = await self.contacts.get(
            "/v1/contacts", params={"list": list_name}, headers=user.auth
        )
        assert page.status_code == 200, page.text
        return [c["display_name"] for c in page.json()["items"]]

    async def until_contacts(
        self, user: User, names: list[str], list_name: str = "active", seconds: float = 60
    ) -> None:
        async def read() -> list[str]:
            return await self.contact_names(user, list_name)

        await eventually(read, lambda found: found == names, seconds)

    async def pending(self, user: User) -> list[dict[str, Any]]:
        page = await self.invitations.get("/v1/invitations", headers=user.auth)
        assert page.status_code == 200, page.text
        items: list[dict[str, Any]] = page.json()["items"]
        return items
