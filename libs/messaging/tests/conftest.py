"""Fixtures of the messaging tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from contacts_messaging.kafka import make_producer


@pytest.fixture
async def producer(kafka_bootstrap: str) -> AsyncIterator[Any]:
    """A started idempotent producer, for sending raw records."""
    producer = make_producer(kafka_bootstrap, "test-sender")
    await producer.start()
    yield producer
    await producer.stop()
