"""A client of the running platform, as a web or mobile front end would drive it over HTTP: one
`httpx.AsyncClient` per service for tests that look at raw answers, the typed client
(`contacts_client`) as any user (`as_user`), and the few multi-step flows tests repeat."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from contacts_client import AsyncContactsPlatform, ContactList, PlatformSettings

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

    @property
    def token(self) -> str:
        """A development access token of this user."""
        return self.auth["Authorization"].removeprefix("Bearer ")


@dataclass
class PlatformClient:
    urls: Mapping[str, str]
    http: dict[str, httpx.AsyncClient] = field(default_factory=dict)

    async def __aenter__(self) -> PlatformClient:
        for name, url in self.urls.items():
            self.http[name] = httpx.AsyncClient(base_url=url, timeout=60)
        self.http["typed"] = httpx.AsyncClient(timeout=60)  # shared by every `as_user` client
        return self

    async def __aexit__(self, *_: object) -> None:
        for client in self.http.values():
            await client.aclose()

    def as_user(
        self, user: User | str, *roles: str, headers: Mapping[str, str] | None = None
    ) -> AsyncContactsPlatform:
        """The typed client with a development token of `user` (a User or a user id)."""
        user_id = user.user_id if isinstance(user, User) else user
        token = bearer(user_id, *roles)["Authorization"].removeprefix("Bearer ")
        urls = {f"{name}_url": url for name, url in self.urls.items()}
        settings = PlatformSettings.model_validate(urls)
        return AsyncContactsPlatform(
            settings, token=token, headers=headers, http=self.http["typed"]
        )

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
        staff = self.as_user(STAFF, "service", headers=headers)
        user = await staff.users.register_user(name, phone, **extra)
        return User(str(user.user_id), user.connect_id, phone, name)

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
        imports = self.as_user(user).imports
        done = await eventually(
            lambda: imports.read_import(import_id), lambda j: j.finished, seconds
        )
        return done.model_dump(mode="json")

    async def contact_names(self, user: User, list_name: ContactList = "active") -> list[str]:
        contacts = self.as_user(user).contacts
        return [c.display_name or "" async for c in contacts.iter_contacts(list_name)]

    async def until_contacts(
        self, user: User, names: list[str], list_name: ContactList = "active", seconds: float = 60
    ) -> None:
        async def read() -> list[str]:
            return await self.contact_names(user, list_name)

        await eventually(read, lambda found: found == names, seconds)

    async def pending(self, user: User) -> list[dict[str, Any]]:
        invitations = self.as_user(user).invitations
        return [i.model_dump(mode="json") async for i in invitations.iter_invitations()]
