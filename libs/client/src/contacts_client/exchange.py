"""What the async and the sync sender share: a :class:`Call` made into an ``httpx.Request``, and
the rules around it (the idempotency key, the user agent)."""

from __future__ import annotations

import uuid
from contextlib import ExitStack
from typing import Any, Protocol

import httpx

from contacts_client.call import Call
from contacts_client.session import Session
from contacts_client.settings import PlatformSettings

USER_AGENT = "contacts-client/0.1"
CHUNK_BYTES = 64 * 1024  # downloads are written in pieces of this size


def idempotency_key(call: Call[Any]) -> str | None:
    """A fresh key for a creating call (one per call: its retries send the same)."""
    return str(uuid.uuid4()) if call.creates else None


class Sender(Protocol):
    """What a request is built from: the sender's client, settings, session and headers."""

    @property
    def http(self) -> httpx.Client | httpx.AsyncClient: ...
    @property
    def settings(self) -> PlatformSettings: ...
    @property
    def session(self) -> Session: ...
    @property
    def headers(self) -> dict[str, str]: ...


def build_request(
    sender: Sender, call: Call[Any], key: str | None, files: ExitStack
) -> httpx.Request:
    """The request ``call`` describes, with the session's token as it is now (a file it
    uploads stays open until ``files`` closes)."""
    headers = {"User-Agent": USER_AGENT, **sender.headers, **sender.session.headers(call)}
    if key is not None:
        headers["Idempotency-Key"] = key
    upload = {"file": call.upload.part(files)} if call.upload is not None else None
    return sender.http.build_request(
        call.method,
        sender.settings.url_of(call.service) + call.path,
        params=call.query(),
        json=call.json,
        data=dict(call.form) or None,
        files=upload,
        headers=headers,
    )
