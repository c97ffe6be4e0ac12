"""How the relay hands a claim's records to the producer, against a fake producer (no I/O):
one partition's record batches one after another, never past a failed one."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from contacts_messaging.relay import OutboxRelay

pytestmark = pytest.mark.unit

_HEADERS = [["ce_type", "io.connect.contacts.TestProbe.v1"]]


class _Batch:
    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.values: list[bytes] = []
        self.closed = False

    def append(self, *, timestamp: None, key: bytes, value: bytes, headers: Any) -> object | None:
        if len(self.values) == self.capacity or self.closed:
            return None  # full, as aiokafka's BatchBuilder says it
        self.values.append(value)
        return object()

    def close(self) -> None:
        self.closed = True


class _Producer:
    """Batches of `capacity` records on `partitions` partitions; the batches whose first
    value is in `failing` fail (after a pause, so that later ones could overtake them)."""

    def __init__(self, capacity: int, failing: set[bytes], partitions: int = 1) -> None:
        self.capacity, self.failing, self.partitions = capacity, failing, partitions
        self.sent: list[tuple[int, list[bytes]]] = []
        self.open_when_sent = 0

    def create_batch(self) -> _Batch:
        return _Batch(self.capacity)

    async def partitions_for(self, topic: str) -> set[int]:
        return set(range(self.partitions))

    async def send_batch(self, batch: _Batch, topic: str, partition: int) -> asyncio.Task[None]:
        self.sent.append((partition, batch.values))
        self.open_when_sent += not batch.closed
        return asyncio.create_task(self._outcome(batch))

    async def _outcome(self, batch: _Batch) -> None:
        if batch.values[0] in self.failing:
            await asyncio.sleep(0.01)
            raise ConnectionError("the broker went away")


def _relay(producer: _Producer) -> OutboxRelay:
    return OutboxRelay(pool=None, dsn="", producer=producer, schema="s")  # type: ignore[arg-type]


def _rows(keys: list[bytes]) -> list[dict[str, Any]]:
    return [
        {"position": p, "topic": "t", "key": key, "value": b"v%d" % p, "headers": _HEADERS,
         "bulk": False}
        for p, key in enumerate(keys, start=1)
    ]  # fmt: skip


async def test_a_partitions_batches_after_a_failed_one_are_not_sent() -> None:
    producer = _Producer(capacity=2, failing={b"v3"})
    sent, failed, error, produced = await _relay(producer)._send(_rows([b"k"] * 6))
    assert producer.sent == [(0, [b"v1", b"v2"]), (0, [b"v3", b"v4"])]  # never v5, v6
    assert sent == [1, 2]
    assert failed == [3, 4, 5, 6]  # retried at the next claim, in their order
    assert error is not None and "the broker went away" in error
    assert produced == [("t", "TestProbe", 1), ("t", "TestProbe", 1)]


async def test_other_partitions_go_on_when_one_fails() -> None:
    producer = _Producer(capacity=1, failing={b"v1"}, partitions=8)
    keys = [b"a", b"a", b"c", b"c"]  # murmur2 puts "a" and "c" on different partitions
    relay = _relay(producer)
    assert await relay._partition("t", b"a") != await relay._partition("t", b"c")
    sent, failed, _, _ = await relay._send(_rows(keys))
    assert sent == [3, 4]
    assert failed == [1, 2]


async def test_every_batch_is_sent_in_order_when_none_fails() -> None:
    producer = _Producer(capacity=3, failing=set())
    sent, failed, error, _ = await _relay(producer)._send(_rows([b"k"] * 7))
    assert [values for _, values in producer.sent] == [
        [b"v1", b"v2", b"v3"], [b"v4", b"v5", b"v6"], [b"v7"]
    ]  # fmt: skip
    assert (sent, failed, error) == ([1, 2, 3, 4, 5, 6, 7], [], None)


async def test_every_batch_is_closed_before_the_producer_gets_it() -> None:
    """aiokafka drains a closed batch at once; an open one (the last, partly filled batch of a
    claim) would first wait linger_ms, and the relay's whole cycle with it."""
    producer = _Producer(capacity=2, failing=set(), partitions=8)
    sent, failed, _, _ = await _relay(producer)._send(_rows([b"a", b"a", b"a", b"c"]))
    assert (sorted(sent), failed) == ([1, 2, 3, 4], [])
    assert len(producer.sent) == 3
    assert producer.open_when_sent == 0
