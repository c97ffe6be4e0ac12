"""Several bootstrap addresses reach FastStream one by one: it wraps a string in a list as it
is, which aiokafka then reads as one unresolvable host (every service on a three-node cluster
kept retrying its bootstrap, found by the cluster fault tests)."""

from __future__ import annotations

import pytest
from contacts_messaging.kafka_connection import broker_options
from faststream.kafka import KafkaBroker


@pytest.mark.integration
async def test_faststream_connects_through_a_list_of_two_addresses(kafka_bootstrap: str) -> None:
    broker = KafkaBroker(**broker_options(f"{kafka_bootstrap},{kafka_bootstrap}"))
    try:
        await broker.connect()  # with the string as it was: KafkaConnectionError
        assert await broker.ping(timeout=10)
    finally:
        await broker.stop()
