"""Fixtures of the messaging tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from contacts_messaging.kafka import make_producer
from contacts_messaging.relay import OutboxRelay


@pytest.fixture
async def producer(kafka_bootstrap: str) -> AsyncIterator[Any]:
    """A started idempotent producer, for sending raw records."""
    producer = make_producer(kafka_bootstrap, "test-sender")
    await producer.start()
    yield producer
    await producer.stop()


@pytest.fixture
async def relay_of(
    schema_pool: Any, service_schema: str, postgres_admin_url: str, kafka_bootstrap: str
) -> AsyncIterator[Any]:
    """Makes relays of the test's schema (options as OutboxRelay's) on one started producer."""
    producer = make_producer(kafka_bootstrap, "t")
    await producer.start()
    try:
        yield lambda **options: OutboxRelay(
            schema_pool, postgres_admin_url, producer, service_schema, **options
        )
    finally:
        await producer.stop()
