"""The relay's linger (`OUTBOX_RELAY_LINGER_MS`): a relay woken by a commit claims no sooner
than the linger after its previous claim, so a steady flow of events goes in fewer, larger
batches, and claims at once after a quiet spell. Against a fake clock (no I/O)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from contacts_messaging import relay as relay_module
from contacts_messaging.relay import OutboxRelay
from contacts_servicekit.settings import ServiceSettings

pytestmark = pytest.mark.unit


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class _Connection:
    """Claims find nothing: only when they happen matters here."""

    def __init__(self, clock: _Clock) -> None:
        self.clock, self.claims_at = clock, list[float]()

    async def fetch(self, *_: object) -> list[object]:
        self.claims_at.append(self.clock.now)
        return []


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    fake = _Clock()
    monkeypatch.setattr(relay_module, "time", SimpleNamespace(monotonic=fake.monotonic))
    monkeypatch.setattr(
        relay_module, "asyncio", SimpleNamespace(**{**vars(asyncio), "sleep": fake.sleep})
    )
    return fake


def _relay(linger: float) -> OutboxRelay:
    return OutboxRelay(pool=None, dsn="", producer=None, schema="s", linger_seconds=linger)  # type: ignore[arg-type]


async def test_a_claim_soon_after_the_last_one_waits_out_the_linger(clock: _Clock) -> None:
    relay, conn = _relay(0.02), _Connection(clock)
    await relay.publish_batch(conn)  # type: ignore[arg-type]
    clock.now += 0.005  # woken 5 ms later by the next commit
    await relay._linger()
    await relay.publish_batch(conn)  # type: ignore[arg-type]
    assert clock.slept == [pytest.approx(0.015)]
    assert conn.claims_at[1] - conn.claims_at[0] == pytest.approx(0.02)


async def test_a_claim_after_a_quiet_spell_does_not_wait(clock: _Clock) -> None:
    relay, conn = _relay(0.02), _Connection(clock)
    await relay.publish_batch(conn)  # type: ignore[arg-type]
    clock.now += 0.5
    await relay._linger()
    assert clock.slept == []


async def test_without_a_linger_a_woken_relay_claims_at_once(clock: _Clock) -> None:
    relay, conn = _relay(0.0), _Connection(clock)
    await relay.publish_batch(conn)  # type: ignore[arg-type]
    await relay._linger()
    assert clock.slept == []


def test_the_services_linger_20_ms_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    """20 ms: at 200 writes/s on two cores the relays' CPU fell by a fifth and the writes'
    p99 with it (bench/README.md, "The relay's linger"); 0 turns it off."""
    for name, value in {"SERVICE_NAME": "svc", "HTTP_PORT": "8000"}.items():
        monkeypatch.setenv(name, value)
    assert ServiceSettings.load().outbox_relay_linger_ms == 20
    monkeypatch.setenv("OUTBOX_RELAY_LINGER_MS", "0")
    assert ServiceSettings.load().outbox_relay_linger_ms == 0
