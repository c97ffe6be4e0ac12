"""Past `HTTP_MAX_IN_FLIGHT` requests in progress, one more gets 503 at once; probes never."""

from __future__ import annotations

import asyncio

import pytest
from contacts_servicekit.load_shedding import InFlightLimit
from httpx import ASGITransport, AsyncClient
from starlette.types import Receive, Scope, Send

pytestmark = pytest.mark.unit


class SlowApp:
    """Answers 200 once `release` is set; counts the requests it started."""

    def __init__(self, waiting_for: int = 0) -> None:
        self.release = asyncio.Event()
        self.all_waiting = asyncio.Event()
        self.waiting_for = waiting_for
        self.started = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.started += 1
        if self.started == self.waiting_for:
            self.all_waiting.set()
        if scope["path"] == "/boom":
            raise RuntimeError("boom")
        if scope["path"] not in ("/health", "/ready", "/metrics"):
            await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


async def test_requests_beyond_the_limit_get_503_with_retry_after_and_probes_still_pass():
    app = SlowApp(waiting_for=2)
    limited = InFlightLimit(app, limit=2)
    async with AsyncClient(transport=ASGITransport(app=limited), base_url="http://t") as client:
        held = [asyncio.create_task(client.get(f"/v1/things/{n}")) for n in range(2)]
        await asyncio.wait_for(app.all_waiting.wait(), 10)

        refused = await client.get("/v1/things/3")
        probes = [
            (await client.get(path)).status_code for path in ("/health", "/ready", "/metrics")
        ]

        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "1"
        assert refused.json()["error"] == "overloaded"
        assert probes == [200, 200, 200]
        assert app.started == 5  # the refused request never reached the app
        app.release.set()
        assert [r.status_code for r in await asyncio.gather(*held)] == [200, 200]
        assert (await client.get("/v1/things/4")).status_code == 200
    assert limited.in_flight == 0


async def test_a_failing_request_frees_its_place():
    limited = InFlightLimit(SlowApp(), limit=1)
    transport = ASGITransport(app=limited, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://t") as client:
        for _ in range(3):
            assert (await client.get("/boom")).status_code == 500
    assert limited.in_flight == 0
