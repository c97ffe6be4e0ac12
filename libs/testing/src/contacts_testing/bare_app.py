"""An app as `create_app` builds it for a service, with no lifespan work and ready at once:
for unit tests of the shared HTTP scaffolding (tests add their routes)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from contacts_servicekit.http import create_app
from fastapi import FastAPI


@asynccontextmanager
async def _no_lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield


async def _ready() -> dict[str, str]:
    return {"postgres": "ok"}


def bare_service_app(**options: Any) -> FastAPI:
    """`create_app` with `options` (limits) added; tests add their routes."""
    return create_app(service="svc", title="t", description="d", version="1",
                      lifespan=_no_lifespan, readiness=_ready, **options)  # fmt: skip
