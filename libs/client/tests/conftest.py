"""A scripted platform for the client's unit tests: an ``httpx.MockTransport`` answering from a
list (or a function), recording every request; and each test run with the async and the sync
client, whose methods are the same."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from contacts_client import AsyncContactsPlatform, ContactsPlatform, PlatformSettings, RetryPolicy

Answer = httpx.Response | Exception
Client = AsyncContactsPlatform | ContactsPlatform


class Script:
    """Answers requests in order (an exception is raised as the transport's), or by ``route``."""

    def __init__(self, *answers: Answer, route: Callable[[httpx.Request], Answer] | None = None):
        self.answers, self.route = list(answers), route
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.route(request) if self.route else self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def header(self, name: str) -> list[str | None]:
        """The value of header ``name`` in each request, in order."""
        return [request.headers.get(name) for request in self.requests]

    def paths(self) -> list[str]:
        return [f"{request.method} {request.url.path}" for request in self.requests]


class Clients:
    """Makes the client of one kind on a script, and calls a method of it as that kind does."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def on(self, script: Script, **options: Any) -> Client:
        settings = options.pop("settings", PlatformSettings())
        retries = options.pop("retries", RetryPolicy(backoff_first=0.01))
        transport = httpx.MockTransport(script)
        if self.kind == "async":
            return AsyncContactsPlatform(settings, retries=retries, transport=transport, **options)
        return ContactsPlatform(settings, retries=retries, transport=transport, **options)

    async def call(self, method: Any, *args: Any, **kwargs: Any) -> Any:
        result = method(*args, **kwargs)
        return await result if inspect.isawaitable(result) else result

    async def collect(self, iterator: Any) -> list[Any]:
        if hasattr(iterator, "__aiter__"):
            return [item async for item in iterator]
        return list(iterator)


@pytest.fixture(params=["async", "sync"])
def clients(request: pytest.FixtureRequest) -> Clients:
    return Clients(request.param)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits the retries asked for, in order (nothing really waits)."""
    waited: list[float] = []

    async def asleep(seconds: float) -> None:
        waited.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", asleep)
    monkeypatch.setattr(time, "sleep", waited.append)
    return waited


def problem(status: int, error: str, detail: str = "refused", **headers: str) -> httpx.Response:
    """An RFC 9457 answer as the services write them."""
    body = {"type": f"urn:contacts:error:{error}", "title": httpx.codes.get_reason_phrase(status),
            "status": status, "detail": detail, "instance": "/v1/x", "error": error, "field": None}  # fmt: skip
    return httpx.Response(
        status, json=body, headers={"Content-Type": "application/problem+json", **headers}
    )
