"""A bound on the request head (request line and headers): 431 before it is read whole.

uvicorn serves the platform with httptools, which sets no limit on a header: a header of
32 MB is gathered in memory (in pieces joined again and again), and only then does the app,
and its authentication, see the request. :class:`BoundedHeadProtocol` is uvicorn's httptools
protocol counting the bytes of each head as they arrive: the parser is never given more than
``HTTP_MAX_HEADER_BYTES`` of one, and a head that is not complete by then, or that has more
than ``HTTP_MAX_HEADERS`` fields, is answered 431 (problem details) and the
connection closed. What the client still sends is read and dropped for a moment, so that it
gets to read the answer instead of a reset connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import structlog
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from contacts_servicekit.problem import MEDIA_TYPE, problem_bytes

log = structlog.get_logger(__name__)
LINGER_SECONDS = 2.0  # how long what a refused client still sends is read and dropped


@dataclass(frozen=True)
class HeadLimits:
    max_bytes: int = 16 * 1024
    max_headers: int = 100


class _HeadRefused(Exception):
    """Stops the parser inside a callback; the refusal itself is `_refuse_head`'s."""


class BoundedHeadProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with :class:`HeadLimits` (set once per process)."""

    limits: ClassVar[HeadLimits] = HeadLimits()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._reading_head = True
        self._head_bytes = 0
        self._header_count = 0
        self._refusal: str | None = None

    def data_received(self, data: bytes) -> None:
        if self._refusal is not None:
            return  # refused: dropped until the connection closes
        if not self._reading_head:
            super().data_received(data)
            return
        allowance = self.limits.max_bytes - self._head_bytes
        self._head_bytes += len(data)
        if len(data) <= allowance:
            super().data_received(data)
            return
        super().data_received(data[:allowance])  # the head may end in it, a body following
        if self._reading_head and not self.transport.is_closing():
            self._refuse_head(f"the request head is larger than {self.limits.max_bytes:,} bytes")
        elif not self.transport.is_closing():
            self.data_received(data[allowance:])

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_count += 1
        if self._header_count > self.limits.max_headers:
            self._refusal = f"the request has more than {self.limits.max_headers} headers"
            raise _HeadRefused  # uvicorn answers a parser error with send_400_response
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._reading_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._reading_head, self._head_bytes, self._header_count = True, 0, 0

    def send_400_response(self, msg: str) -> None:
        if self._refusal is not None:
            self._refuse_head(self._refusal)
        else:
            super().send_400_response(msg)

    def _path(self) -> str | None:
        """The request's path when its request line was read (the problem's `instance`)."""
        url = getattr(self, "url", b"")  # uvicorn's, gathered by `on_url`
        return url.split(b"?", 1)[0].decode("latin-1") if url else None

    def _refuse_head(self, reason: str) -> None:
        self._refusal = reason
        log.warning("http.head_refused", reason=reason, client=self.client)
        self.transport.write(_too_large_response(reason, self._path()))
        self.loop.call_later(LINGER_SECONDS, self.transport.close)


def _too_large_response(reason: str, instance: str | None) -> bytes:
    body = problem_bytes(
        431, "headers_too_large", f"Refused: {reason}.", field="headers", instance=instance
    )
    head = (
        "HTTP/1.1 431 Request Header Fields Too Large\r\n"
        f"content-type: {MEDIA_TYPE}\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode() + body
