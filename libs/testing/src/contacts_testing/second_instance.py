"""A second process of a running service, on the same schema and Kafka namespace (so the same
database state and consumer groups) but its own port: two instances of one service."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from contacts_testing.running_service import RunningService
from contacts_testing.service_process import ServiceProcess


@asynccontextmanager
async def second_instance(
    service: RunningService, folder: Path
) -> AsyncIterator[httpx.AsyncClient]:
    """Start another instance of `service`; yield a client of it; kill it on exit."""
    first = service.process
    process = ServiceProcess(first.name, dict(first.env), folder / f"{first.name}-2.log")
    process.start()
    try:
        await asyncio.to_thread(process.wait_for, "/ready")
        async with httpx.AsyncClient(base_url=process.url, timeout=30) as http:
            yield http
    finally:
        process.kill()
