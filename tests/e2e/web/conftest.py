"""One platform with the web app (Kafka, Postgres, the four services and the web app as
processes) for every browser test of this package, on ports no other test uses, and people at
real browsers (Debian's Chromium driven by Playwright) signing up through its pages."""

from __future__ import annotations

import itertools
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest
from contacts_testing.infra import TEST_STATE_DIR
from contacts_testing.local_platform import SERVICE_NAMES, LocalPlatform, Ports
from contacts_testing.platform_client import PlatformClient
from contacts_testing.web_visitor import WebVisitor, web_visitor

DEFAULT_TEST_STATE_DIR = Path("/var/tmp/contacts-platform-test")  # noqa: S108 - contacts_testing.infra's


def _ports() -> Ports:
    """27300-27392; another state directory (CONTACTS_TEST_STATE_DIR, as each of several
    checkouts testing at once on one machine sets) gets ports of its own, in 20000-21992
    (below the kernel's ephemeral range and every fixed port of the platform and its tests)."""
    base = 27300
    if TEST_STATE_DIR != DEFAULT_TEST_STATE_DIR:
        base = 20000 + zlib.crc32(str(TEST_STATE_DIR).encode()) % 20 * 100
    return Ports(kafka=base + 92, postgres=base + 32, http_base=base)


PORTS = _ports()
RESEND_COOLDOWN_SECONDS = 3
SERVICE_ENV = {
    # every browser of the suite signs in from 127.0.0.1: the per-address limits of sign-in
    # codes would silently stop the codes after 20 (as for any one address), so they are high
    "directory": {"CODES_PER_ADDRESS_BURST": "1000", "SIGN_IN_ATTEMPTS_PER_ADDRESS_BURST": "1000"},
    "invitations": {"RESEND_COOLDOWN_MINUTES": str(RESEND_COOLDOWN_SECONDS / 60)},
    "importer": {"FALLBACK_REGION": "GB"},
}
_numbers = itertools.count(1)

Visitor = Callable[..., AbstractAsyncContextManager[WebVisitor]]


@pytest.fixture(scope="package")
def platform() -> Iterator[LocalPlatform]:
    running = LocalPlatform(PORTS, TEST_STATE_DIR / "e2e-web", SERVICE_ENV, web=True)
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture
def visitor(platform: LocalPlatform) -> Visitor:
    """`async with visitor("lea") as lea:` a person at a fresh desktop browser (`viewport=`
    PHONE for a phone)."""

    def open_browser(
        name: str, viewport: dict[str, int] | None = None
    ) -> AbstractAsyncContextManager[WebVisitor]:
        return web_visitor(platform.url("web"), platform.messages_dir, name, viewport)

    return open_browser


@pytest.fixture
def new_phone() -> Callable[[], str]:
    """`new_phone()`: a British mobile number no other test of this run uses."""
    return lambda: f"+4474009{next(_numbers):05d}"


@pytest.fixture
async def signed_up(visitor: Visitor, new_phone: Callable[[], str]) -> AsyncIterator[WebVisitor]:
    """Someone who has just signed up, at a desktop browser, on their contacts page."""
    async with visitor("someone") as person:
        await person.sign_up(new_phone(), "Someone")
        yield person


@pytest.fixture
async def client(platform: LocalPlatform) -> AsyncIterator[PlatformClient]:
    """The four services over HTTP, to set up what a test needs behind the browser's back
    (users registered by the sign-up backend, contacts, companies)."""
    async with PlatformClient({name: platform.url(name) for name in SERVICE_NAMES}) as running:
        yield running
