"""The two clients: :class:`AsyncContactsPlatform` and :class:`ContactsPlatform` (blocking).
Both have the same resource groups and methods (``client.imports.upload_file(...)``); the async
one's methods are awaited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Generic, Self

import httpx

from contacts_client.async_sender import AsyncSender
from contacts_client.models.auth import Tokens
from contacts_client.operation import S
from contacts_client.resources.auth import Auth
from contacts_client.resources.contacts import Contacts
from contacts_client.resources.directory import Directory
from contacts_client.resources.imports import Imports
from contacts_client.resources.invitations import Invitations
from contacts_client.resources.users import Users
from contacts_client.retrying import RetryPolicy
from contacts_client.session import SaveTokens, Session
from contacts_client.settings import PlatformSettings
from contacts_client.sync_sender import SyncSender


class _Platform(Generic[S]):
    """The resource groups, over one sender."""

    def __init__(self, sender: S) -> None:
        self._sender: S = sender
        self.auth: Auth[S] = Auth(sender)
        self.users: Users[S] = Users(sender)
        self.directory: Directory[S] = Directory(sender)
        self.contacts: Contacts[S] = Contacts(sender)
        self.imports: Imports[S] = Imports(sender)
        self.invitations: Invitations[S] = Invitations(sender)

    @property
    def tokens(self) -> Tokens | None:
        """The session's tokens as they are now (after any sign-in or refresh)."""
        tokens: Tokens | None = self._sender.session.tokens
        return tokens


class AsyncContactsPlatform(_Platform[AsyncSender]):
    """The platform for asyncio code.

    ``token``: an access token, or :class:`Tokens` with a refresh token (renewed when a service
    refuses the access token; ``save_tokens`` hears of each new pair). ``headers``: sent with
    every request (``X-Correlation-ID``, ...). ``transport``: an ``httpx`` transport (tests,
    proxies); ``http``: an ``httpx.AsyncClient`` to share, which the caller closes.
    """

    def __init__(
        self, settings: PlatformSettings | None = None, *, token: Tokens | str | None = None,
        save_tokens: SaveTokens | None = None, retries: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None, http: httpx.AsyncClient | None = None,
    ) -> None:  # fmt: skip
        settings = settings or PlatformSettings()
        self._owned: httpx.AsyncClient | None = None  # closed by this client; a shared one is not
        if http is None:
            http = self._owned = httpx.AsyncClient(
                transport=transport, timeout=settings.timeout_seconds
            )
        session = Session(token, save_tokens)
        retries = retries or RetryPolicy()
        super().__init__(AsyncSender(http, settings, session, retries, dict(headers or {})))

    async def aclose(self) -> None:
        if self._owned is not None:
            await self._owned.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()


class ContactsPlatform(_Platform[SyncSender]):
    """The platform for blocking code: :class:`AsyncContactsPlatform`'s methods, not awaited
    (``http``: an ``httpx.Client`` to share)."""

    def __init__(
        self, settings: PlatformSettings | None = None, *, token: Tokens | str | None = None,
        save_tokens: SaveTokens | None = None, retries: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None, http: httpx.Client | None = None,
    ) -> None:  # fmt: skip
        settings = settings or PlatformSettings()
        self._owned: httpx.Client | None = None  # closed by this client; a shared one is not
        if http is None:
            http = self._owned = httpx.Client(transport=transport, timeout=settings.timeout_seconds)
        session = Session(token, save_tokens)
        retries = retries or RetryPolicy()
        super().__init__(SyncSender(http, settings, session, retries, dict(headers or {})))

    def close(self) -> None:
        if self._owned is not None:
            self._owned.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
