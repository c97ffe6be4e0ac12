"""How `make_producer` packs record batches (KAFKA_PRODUCER_COMPRESSION, _BATCH_BYTES): the
codec in the batches it builds, the size they stop at, and settings refused by name."""

from __future__ import annotations

import pytest
from contacts_messaging.kafka import make_producer
from contacts_messaging.producer_settings import ProducerSettings
from contacts_servicekit.environment_settings import SettingsError

pytestmark = pytest.mark.unit

CODECS = {"none": 0, "gzip": 1, "snappy": 2, "lz4": 3, "zstd": 4}  # Kafka's attribute bits
VALUE = b'{"import_id":"4f1c","status":"ready_to_invite","reason":"A mobile number."}' * 8


async def full_batch(packing: ProducerSettings) -> tuple[int, bytes]:
    """(records a batch of `make_producer` takes before it is full, the batch as sent)."""
    producer = make_producer("127.0.0.1:1", "test-packing", packing)  # never connects
    try:
        batch = producer.create_batch()
        records = 0
        while batch.append(key=b"k", value=VALUE, timestamp=None) is not None:
            records += 1
        return records, bytes(batch._build())  # what send_batch hands the broker
    finally:
        await producer.stop()


def codec_of(batch: bytes) -> int:
    """The compression codec of a v2 record batch (attributes at offset 21, lowest 3 bits)."""
    return int.from_bytes(batch[21:23], "big") & 0x07


async def test_the_defaults_are_zstd_batches_of_one_megabyte(monkeypatch: pytest.MonkeyPatch):
    for name in ("KAFKA_PRODUCER_COMPRESSION", "KAFKA_PRODUCER_BATCH_BYTES"):
        monkeypatch.delenv(name, raising=False)
    packing = ProducerSettings.load()
    assert (packing.compression_type, packing.kafka_producer_batch_bytes) == ("zstd", 1024 * 1024)
    records, batch = await full_batch(packing)
    assert codec_of(batch) == CODECS["zstd"]
    assert records * len(VALUE) > 900 * 1024  # filled up to about the megabyte
    assert len(batch) < records * len(VALUE) / 4  # and compressed on the way


@pytest.mark.parametrize("codec", ["none", "lz4", "zstd", "gzip", "snappy"])
async def test_each_codec_is_used_as_set(monkeypatch: pytest.MonkeyPatch, codec: str):
    monkeypatch.setenv("KAFKA_PRODUCER_COMPRESSION", codec)
    _, batch = await full_batch(ProducerSettings.load())
    assert codec_of(batch) == CODECS[codec]


async def test_the_batch_size_is_the_setting(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KAFKA_PRODUCER_COMPRESSION", "none")
    monkeypatch.setenv("KAFKA_PRODUCER_BATCH_BYTES", str(64 * 1024))
    _, batch = await full_batch(ProducerSettings.load())
    assert 64 * 1024 - len(VALUE) - 100 < len(batch) <= 64 * 1024  # full, never over


@pytest.mark.parametrize(
    ("name", "value"),
    [("KAFKA_PRODUCER_COMPRESSION", "brotli"), ("KAFKA_PRODUCER_BATCH_BYTES", "1000"),
     ("KAFKA_PRODUCER_BATCH_BYTES", str(64 * 1024 * 1024))],
)  # fmt: skip
def test_a_bad_setting_is_refused_by_name(monkeypatch: pytest.MonkeyPatch, name: str, value: str):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        ProducerSettings.load()
