"""The platform on two Postgres clusters (a database per service): contacts and importer on the
first, directory and invitations on the second, with Kafka and the four services as processes,
on ports no other test uses."""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from contacts_testing.infra import TEST_STATE_DIR
from contacts_testing.local_platform import SERVICE_NAMES, LocalPlatform, Ports
from contacts_testing.platform_client import PlatformClient

DEFAULT_TEST_STATE_DIR = Path("/var/tmp/contacts-platform-test")  # noqa: S108 - contacts_testing.infra's
ON_SECOND_CLUSTER = ("directory", "invitations")


def _ports() -> Ports:
    """27500-27593; another state directory (CONTACTS_TEST_STATE_DIR, one per checkout testing
    on this machine) gets ports of its own in 22000-23993, clear of tests/e2e/web's 20000-21992
    and of every fixed port of the platform and its tests."""
    base = 27500
    if TEST_STATE_DIR != DEFAULT_TEST_STATE_DIR:
        base = 22000 + zlib.crc32(str(TEST_STATE_DIR).encode()) % 20 * 100
    return Ports(kafka=base + 92, postgres=base + 32, http_base=base, second_postgres=base + 33)


PORTS = _ports()


@pytest.fixture(scope="package")
def platform() -> Iterator[LocalPlatform]:
    split = LocalPlatform(
        PORTS, TEST_STATE_DIR / "e2e-two-clusters", {"importer": {"FALLBACK_REGION": "GB"}},
        on_second_cluster=ON_SECOND_CLUSTER,
    )  # fmt: skip
    with split.running() as running:
        yield running


@pytest.fixture
async def client(platform: LocalPlatform) -> AsyncIterator[PlatformClient]:
    async with PlatformClient({name: platform.url(name) for name in SERVICE_NAMES}) as running:
        yield running
