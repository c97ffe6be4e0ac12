"""`/ready`: 200 `ready` when every check is ok, 200 `degraded` when what failed is something the
instance serves without (Kafka after start: writes wait in the outbox), 503 otherwise."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from contacts_servicekit.http import create_app
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

pytestmark = pytest.mark.unit


@asynccontextmanager
async def _lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield


@pytest.mark.parametrize(
    ("checks", "code", "status"),
    [
        ({"postgres": "ok", "kafka": "ok", "work": "ok"}, 200, "ready"),
        ({"postgres": "ok", "kafka": "degraded: KafkaTimeoutError", "work": "ok"}, 200, "degraded"),
        ({"postgres": "ok", "kafka": "unavailable: not connected yet", "work": "ok"}, 503,
         "unavailable"),
        ({"postgres": "unavailable: TimeoutError", "kafka": "degraded: X", "work": "ok"}, 503,
         "unavailable"),
        ({"postgres": "ok", "kafka": "ok", "work": "stopped: relay"}, 503, "unavailable"),
    ],
)  # fmt: skip
async def test_ready_says_whether_the_instance_takes_requests(
    checks: dict[str, str], code: int, status: str
) -> None:
    async def readiness() -> dict[str, str]:
        return checks

    app = create_app(service="svc", title="t", description="d", version="1",
                     lifespan=_lifespan, readiness=readiness)  # fmt: skip
    async with AsyncClient(transport=ASGITransport(app), base_url="http://t") as client:
        answer = await client.get("/ready")

    assert (answer.status_code, answer.json()["status"]) == (code, status)
    assert answer.json()["checks"] == checks
