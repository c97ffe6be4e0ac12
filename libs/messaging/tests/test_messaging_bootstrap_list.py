"""Several bootstrap addresses reach FastStream one by one: it wraps a string in a list as it
is, which aiokafka then reads as one unresolvable host (every service on a three-node cluster
kept retrying its bootstrap, found by the cluster fault tests)."""

from __future__ import annotations

import pytest
from contacts_messaging.kafka_connection import bootstrap_list, broker_options
from contacts_servicekit.kafka_settings import KafkaConnectionSettings
from faststream.kafka import KafkaBroker


@pytest.mark.unit
def test_addresses_are_split_on_commas_and_trimmed() -> None:
    assert bootstrap_list("b1:9092, b2:9092,,b3:9092 ") == ["b1:9092", "b2:9092", "b3:9092"]
    settings = KafkaConnectionSettings(kafka_bootstrap_servers="b1:9092,b2:9092")
    assert broker_options(settings)["bootstrap_servers"] == ["b1:9092", "b2:9092"]


@pytest.mark.integration
async def test_faststream_connects_through_a_list_of_two_addresses(kafka_bootstrap: str) -> None:
    broker = KafkaBroker(**broker_options(f"{kafka_bootstrap},{kafka_bootstrap}"))
    try:
        await broker.connect()  # before the fix: KafkaConnectionError, "Unable to bootstrap"
        assert await broker.ping(timeout=10)
    finally:
        await broker.stop()
