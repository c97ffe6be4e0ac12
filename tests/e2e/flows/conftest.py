"""One platform (Kafka, Postgres, the four services as processes) for every flow test of this
package, on ports no other test uses, and an audit consumer reading all its topics."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from contacts_testing.audit import AuditConsumer
from contacts_testing.infra import TEST_STATE_DIR
from contacts_testing.local_platform import LocalPlatform, Ports
from contacts_testing.platform_client import PlatformClient

PORTS = Ports(kafka=27192, postgres=27132, http_base=27100)
RESEND_COOLDOWN_SECONDS = 3
SERVICE_ENV = {"invitations": {"RESEND_COOLDOWN_MINUTES": str(RESEND_COOLDOWN_SECONDS / 60)}}


@pytest.fixture(scope="package")
def platform() -> Iterator[LocalPlatform]:
    running = LocalPlatform(PORTS, TEST_STATE_DIR / "e2e-flows", SERVICE_ENV)
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
async def audit(platform: LocalPlatform) -> AsyncIterator[AuditConsumer]:
    async with AuditConsumer(platform.bootstrap) as consumer:
        yield consumer
    assert consumer.undecodable == [], "records on the platform's topics that are not events"


@pytest.fixture
async def client(platform: LocalPlatform) -> AsyncIterator[PlatformClient]:
    urls = {name: service.url for name, service in platform.services.items()}
    async with PlatformClient(urls) as running:
        yield running
