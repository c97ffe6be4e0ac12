"""Request heads are bounded: 431 problem details once a head passes its byte or
header-count limit, before the rest of it is read; heads within the limits are served."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from contacts_servicekit.head_limit import BoundedHeadProtocol, HeadLimits
from uvicorn.config import Config
from uvicorn.server import ServerState

pytestmark = pytest.mark.unit
LIMITS = HeadLimits(max_bytes=2048, max_headers=20)


class FakeTransport(asyncio.Transport):
    """Gathers what the server writes; knows whether it was closed."""

    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.closed = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 5000) if name in ("peername", "sockname") else default

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += data

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...


async def ok_app(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def connection(monkeypatch: pytest.MonkeyPatch) -> tuple[BoundedHeadProtocol, FakeTransport]:
    monkeypatch.setattr(BoundedHeadProtocol, "limits", LIMITS)
    config = Config(app=ok_app, lifespan="off", log_config=None)
    protocol = BoundedHeadProtocol(config, ServerState(), {}, asyncio.get_running_loop())
    transport = FakeTransport()
    protocol.connection_made(transport)
    return protocol, transport


def refused_with_431(transport: FakeTransport) -> bool:
    head, _, body = bytes(transport.written).partition(b"\r\n\r\n")
    problem = json.loads(body)
    return (
        head.startswith(b"HTTP/1.1 431 ")
        and b"content-type: application/problem+json" in head
        and (problem["error"], problem["status"], problem["instance"])
        == ("headers_too_large", 431, "/")
    )


async def served(transport: FakeTransport) -> bool:
    for _ in range(500):  # the request runs as a task of the loop
        if transport.written:
            break
        await asyncio.sleep(0.01)
    return transport.written.startswith(b"HTTP/1.1 200 ")


async def test_a_head_at_the_byte_limit_is_served(monkeypatch: pytest.MonkeyPatch) -> None:
    protocol, transport = connection(monkeypatch)
    start, end = b"GET / HTTP/1.1\r\nHost: t\r\nX-Pad: ", b"\r\n\r\n"
    head = start + b"a" * (LIMITS.max_bytes - len(start) - len(end)) + end
    for piece in (head[:100], head[100:]):
        protocol.data_received(piece)
    assert await served(transport)


async def test_a_head_one_byte_over_is_refused_without_reading_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    protocol, transport = connection(monkeypatch)
    protocol.data_received(b"GET / HTTP/1.1\r\nX-Pad: " + b"a" * LIMITS.max_bytes)
    assert refused_with_431(transport)
    written = len(transport.written)
    protocol.data_received(b"a" * 1_000_000 + b"\r\n\r\n")  # dropped, not parsed or answered
    assert len(transport.written) == written


async def test_too_many_headers_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    protocol, transport = connection(monkeypatch)
    headers = b"".join(b"X-%d: 1\r\n" % n for n in range(LIMITS.max_headers + 1))
    protocol.data_received(b"GET / HTTP/1.1\r\n" + headers + b"\r\n")
    assert refused_with_431(transport)


async def test_a_body_arriving_with_its_head_does_not_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    protocol, transport = connection(monkeypatch)
    body = b"x" * (LIMITS.max_bytes * 4)
    protocol.data_received(b"POST / HTTP/1.1\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    assert await served(transport)
