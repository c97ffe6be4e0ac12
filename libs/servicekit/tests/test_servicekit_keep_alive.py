"""Idle client connections are kept open longer than clients and proxies keep theirs
(HTTP_KEEP_ALIVE_SECONDS, 75 s): with uvicorn's own 5 s, equal to httpx's pool expiry, a request
sent on a pooled connection just as the service closed it was reset (seen once in the
write-to-event bench, whose client reused connections idle for 5 s)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import uvicorn
from contacts_servicekit import runner
from contacts_servicekit.environment_settings import SettingsError
from contacts_servicekit.settings import ServiceSettings
from contacts_testing.service_process import free_port

pytestmark = pytest.mark.unit  # a server on 127.0.0.1 at most, no Kafka or Postgres

REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


class _Settings(ServiceSettings):
    service_name: str = "keep_alive_test"
    http_port: int = 8099


async def _ok(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})  # fmt: skip
    await send({"type": "http.response.body", "body": b"ok"})


@asynccontextmanager
async def _serving(settings: ServiceSettings) -> AsyncIterator[uvicorn.Server]:
    options = runner.uvicorn_options(settings)
    server = uvicorn.Server(uvicorn.Config(_ok, lifespan="off", **options))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn has no event for it
        await asyncio.sleep(0.01)
    try:
        yield server
    finally:
        server.should_exit = True
        await task


async def _answered(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
    """The next answer on this connection, or b"" when the service closed it."""
    writer.write(REQUEST)
    try:
        await writer.drain()
        return await asyncio.wait_for(reader.read(1024), 5)
    except ConnectionError:
        return b""


def _settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> _Settings:
    monkeypatch.delenv("HTTP_KEEP_ALIVE_SECONDS", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return _Settings.load()


def test_idle_connections_are_kept_75_seconds_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert runner.uvicorn_options(_settings(monkeypatch))["timeout_keep_alive"] == 75


def test_a_keep_alive_of_zero_is_refused_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(SettingsError, match="HTTP_KEEP_ALIVE_SECONDS"):
        _settings(monkeypatch, HTTP_KEEP_ALIVE_SECONDS="0")


async def test_a_connection_idle_less_than_the_setting_serves_again_and_is_closed_after_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = _settings(monkeypatch, HTTP_KEEP_ALIVE_SECONDS="2", HTTP_PORT=str(free_port()))
    async with _serving(settings):
        reader, writer = await asyncio.open_connection("127.0.0.1", settings.http_port)
        try:
            assert (await _answered(reader, writer)).startswith(b"HTTP/1.1 200")
            await asyncio.sleep(1)  # idle, within the setting: the same connection serves
            assert (await _answered(reader, writer)).startswith(b"HTTP/1.1 200")
            await asyncio.sleep(3.5)  # idle past it: the service has closed the connection
            assert await asyncio.wait_for(reader.read(1024), 0.5) == b""
        finally:
            writer.close()
