"""Sends described calls with ``httpx.AsyncClient``: retries (tenacity), one token renewal on a
refused token, errors raised as :class:`ApiError`, downloads streamed to disk, event streams.
:mod:`contacts_client.sync_sender` is the same with blocking I/O."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TypeVar

import anyio
import httpx
from httpx_sse import EventSource
from tenacity import AsyncRetrying

from contacts_client.call import Call, Step
from contacts_client.errors import ApiError
from contacts_client.exchange import CHUNK_BYTES, build_request, idempotency_key
from contacts_client.models.base import Page
from contacts_client.retrying import RetryPolicy
from contacts_client.session import Session
from contacts_client.settings import PlatformSettings
from contacts_client.streams import EventStream

T = TypeVar("T")


class AsyncSender:
    def __init__(
        self, http: httpx.AsyncClient, settings: PlatformSettings, session: Session,
        retries: RetryPolicy, headers: dict[str, str],
    ) -> None:  # fmt: skip
        self.http, self.settings, self.session, self.retries = http, settings, session, retries
        self.headers = headers  # sent with every request
        self._renewing = asyncio.Lock()  # one renewal at a time: a refresh token works once

    async def run(self, step: Step[T]) -> T:
        """The result of a call, or of a flow of calls (each answer sent back into it)."""
        if isinstance(step, Call):
            return await self.send(step)
        answer: Any = None
        try:
            while True:
                answer = await self.send(step.send(answer))
        except StopIteration as done:
            result: T = done.value
            return result

    async def send(self, call: Call[T]) -> T:
        call, key = self.session.prepare(call), idempotency_key(call)
        retrying = AsyncRetrying(**self.retries.arguments(call))
        response: httpx.Response = await retrying(self._complete, call, key)
        answer = call.answer(response)
        self.session.learn(call, answer)
        return answer

    async def items(
        self, page_of: Callable[[str | None], Step[Page[T]]], cursor: str | None
    ) -> AsyncIterator[T]:
        while True:
            page = await self.run(page_of(cursor))
            for item in page.items:
                yield item
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    async def events(self, stream: EventStream[T]) -> AsyncIterator[T]:
        retrying = AsyncRetrying(**self.retries.arguments(stream.call))
        response: httpx.Response = await retrying(self._open, stream.call, None)
        try:
            async for message in EventSource(response).aiter_sse():
                event = stream.read(message)
                if event is not None:
                    yield event
                    if stream.last(event):
                        return
        finally:
            await response.aclose()

    async def _complete(self, call: Call[Any], key: str | None) -> httpx.Response:
        """One attempt: the whole answer read (or saved to ``call.save_to``)."""
        response = await self._open(call, key)
        try:
            if call.save_to is not None:
                await _save(response, call.save_to)
            else:
                await response.aread()
        finally:
            await response.aclose()
        return response

    async def _open(self, call: Call[Any], key: str | None) -> httpx.Response:
        """A successful answer with its body still to read; a refused token renewed once."""
        sent_token = self.session.access_token
        response = await self._exchange(call, key)
        if self.session.refused_token(call, response) and await self._renew(sent_token):
            response = await self._exchange(call, key)
        if response.is_error:
            raise ApiError.from_response(response)
        return response

    async def _exchange(self, call: Call[Any], key: str | None) -> httpx.Response:
        with ExitStack() as files:
            request = build_request(self, call, key, files)
            response = await self.http.send(request, stream=True)
        if response.is_error:  # read now: the error's problem details are in the body
            await response.aread()
            await response.aclose()
        return response

    async def _renew(self, refused_token: str | None) -> bool:
        """Renew the session's token unless another request already did since ``refused_token``
        was sent; whether there is a new token to try."""
        async with self._renewing:
            if self.session.access_token != refused_token:
                return True
            call = self.session.renewal()
            if call is None:
                return False
            await self.send(call)
            return True


async def _save(response: httpx.Response, path: Path) -> None:
    """Stream the body into ``path`` (through a ``.part`` file: no half file under its name)."""
    partial = path.with_name(path.name + ".part")
    async with await anyio.open_file(partial, "wb") as out:
        async for chunk in response.aiter_bytes(CHUNK_BYTES):
            await out.write(chunk)
    partial.replace(path)
