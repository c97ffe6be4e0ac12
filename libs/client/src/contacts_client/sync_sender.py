"""Sends described calls with ``httpx.Client``: :mod:`contacts_client.async_sender` with
blocking I/O (same rules: retries, one token renewal, :class:`ApiError`, streamed downloads)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TypeVar

import httpx
from httpx_sse import EventSource
from tenacity import Retrying

from contacts_client.call import Call, Step
from contacts_client.errors import ApiError
from contacts_client.exchange import CHUNK_BYTES, build_request, idempotency_key
from contacts_client.models.base import Page
from contacts_client.retrying import RetryPolicy
from contacts_client.session import Session
from contacts_client.settings import PlatformSettings
from contacts_client.streams import EventStream

T = TypeVar("T")


class SyncSender:
    def __init__(
        self, http: httpx.Client, settings: PlatformSettings, session: Session,
        retries: RetryPolicy, headers: dict[str, str],
    ) -> None:  # fmt: skip
        self.http, self.settings, self.session, self.retries = http, settings, session, retries
        self.headers = headers  # sent with every request
        self._renewing = threading.Lock()  # one renewal at a time: a refresh token works once

    def run(self, step: Step[T]) -> T:
        """The result of a call, or of a flow of calls (each answer sent back into it)."""
        if isinstance(step, Call):
            return self.send(step)
        answer: Any = None
        try:
            while True:
                answer = self.send(step.send(answer))
        except StopIteration as done:
            result: T = done.value
            return result

    def send(self, call: Call[T]) -> T:
        call, key = self.session.prepare(call), idempotency_key(call)
        response = Retrying(**self.retries.arguments(call))(self._complete, call, key)
        answer = call.answer(response)
        self.session.learn(call, answer)
        return answer

    def items(
        self, page_of: Callable[[str | None], Step[Page[T]]], cursor: str | None
    ) -> Iterator[T]:
        while True:
            page = self.run(page_of(cursor))
            yield from page.items
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def events(self, stream: EventStream[T]) -> Iterator[T]:
        response = Retrying(**self.retries.arguments(stream.call))(self._open, stream.call, None)
        try:
            for message in EventSource(response).iter_sse():
                event = stream.read(message)
                if event is not None:
                    yield event
                    if stream.last(event):
                        return
        finally:
            response.close()

    def _complete(self, call: Call[Any], key: str | None) -> httpx.Response:
        """One attempt: the whole answer read (or saved to ``call.save_to``)."""
        response = self._open(call, key)
        try:
            if call.save_to is not None:
                _save(response, call.save_to)
            else:
                response.read()
        finally:
            response.close()
        return response

    def _open(self, call: Call[Any], key: str | None) -> httpx.Response:
        """A successful answer with its body still to read; a refused token renewed once."""
        sent_token = self.session.access_token
        response = self._exchange(call, key)
        if self.session.refused_token(call, response) and self._renew(sent_token):
            response = self._exchange(call, key)
        if response.is_error:
            raise ApiError.from_response(response)
        return response

    def _exchange(self, call: Call[Any], key: str | None) -> httpx.Response:
        with ExitStack() as files:
            request = build_request(self, call, key, files)
            response = self.http.send(request, stream=True)
        if response.is_error:  # read now: the error's problem details are in the body
            response.read()
            response.close()
        return response

    def _renew(self, refused_token: str | None) -> bool:
        """Renew the session's token unless another thread already did since ``refused_token``
        was sent; whether there is a new token to try."""
        with self._renewing:
            if self.session.access_token != refused_token:
                return True
            call = self.session.renewal()
            if call is None:
                return False
            self.send(call)
            return True


def _save(response: httpx.Response, path: Path) -> None:
    """Stream the body into ``path`` (through a ``.part`` file: no half file under its name)."""
    partial = path.with_name(path.name + ".part")
    with partial.open("wb") as out:
        for chunk in response.iter_bytes(CHUNK_BYTES):
            out.write(chunk)
    partial.replace(path)
