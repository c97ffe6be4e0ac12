"""A client of the running platform, as a web or mobile front end would drive it: the typed
client (`contacts_client`) signed out (`app`) or as any user (`as_user`), the few multi-step
flows tests repeat, and one `httpx.AsyncClient` per service for the tests that look at raw
answers (bulk runs, faults, and the odd status the typed client does not show)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import UUID

import httpx
from contacts_client import (
    ApiError,
    AsyncContactsPlatform,
    ContactList,
    Import,
    Invitation,
    PlatformSettings,
    Tokens,
)

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


async def outcome(call: Awaitable[T]) -> T | ApiError:
    """The call's answer, or the refusal it raised (for `eventually` to wait past one)."""
    try:
        return await call
    except ApiError as refused:
        return refused


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
        self.http["typed"] = httpx.AsyncClient(timeout=60)  # shared by every typed client
        return self

    async def __aexit__(self, *_: object) -> None:
        for client in self.http.values():
            await client.aclose()

    def app(
        self, token: Tokens | str | None = None, headers: Mapping[str, str] | None = None
    ) -> AsyncContactsPlatform:
        """The typed client as an app holds it: signed out, or with `token`. An access token
        alone cannot be renewed, so a refused one is raised, not quietly refreshed."""
        urls = {f"{name}_url": url for name, url in self.urls.items()}
        settings = PlatformSettings.model_validate(urls)
        return AsyncContactsPlatform(
            settings, token=token, headers=headers, http=self.http["typed"]
        )

    def as_user(
        self, user: User | str, *roles: str, headers: Mapping[str, str] | None = None
    ) -> AsyncContactsPlatform:
        """The typed client with a development token of `user` (a User or a user id)."""
        user_id = user.user_id if isinstance(user, User) else user
        token = bearer(user_id, *roles)["Authorization"].removeprefix("Bearer ")
        return self.app(token, headers)

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

    async def add_contact(self, user: User, connect_id: str) -> httpx.Response:
        """Add by ConnectID in raw HTTP, for the fault tests that look at the answer: look it
        up at the directory (which gives the `add_token`), then add it at the contacts service;
        the look-up's answer if it failed."""
        found = await self.directory.get(f"/v1/connect-ids/{connect_id}", headers=user.auth)
        if found.status_code != 200:
            return found
        body = {"connect_id": connect_id, "add_token": found.json()["add_token"]}
        return await self.contacts.post("/v1/contacts", json=body, headers=user.auth)

    async def import_finished(
        self, user: User, import_id: UUID | str, seconds: float = 120
    ) -> Import:
        """The import once it reached a final state (completed, failed or replaced)."""
        imports = self.as_user(user).imports
        return await eventually(
            lambda: imports.read_import(import_id), lambda j: j.finished, seconds
        )

    async def contact_names(
        self, user: User | AsyncContactsPlatform, list_name: ContactList = "active"
    ) -> list[str]:
        """The display names of a list, as `user` sees it (a User's development token, or an
        app signed in for real)."""
        app = self.as_user(user) if isinstance(user, User) else user
        return [c.display_name or "" async for c in app.contacts.iter_contacts(list_name)]

    async def until_contacts(
        self, user: User | AsyncContactsPlatform, names: list[str],
        list_name: ContactList = "active", seconds: float = 60,
    ) -> None:  # fmt: skip
        async def read() -> list[str]:
            return await self.contact_names(user, list_name)

        await eventually(read, lambda found: found == names, seconds)

    async def pending(self, user: User) -> list[Invitation]:
        """The user's pending invitations, every page."""
        invitations = self.as_user(user).invitations
        return [i async for i in invitations.iter_invitations()]
