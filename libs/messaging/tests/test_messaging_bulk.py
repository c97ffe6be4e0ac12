"""Bulk outbox rows: records packed against a header template come back as they went in, as
record batches Kafka takes as they are; rows of earlier releases are still read."""

import json
import struct
import time

import pytest
from aiokafka.record.default_records import DefaultRecordBatch
from aiokafka.record.util import decode_varint, encode_varint
from contacts_messaging.bulk import (
    BATCHES,
    ZSTD_MAGIC,
    Packed,
    expand,
    joined,
    stored_batches,
    template_json,
)
from contacts_messaging.bulk import pack as bulk_pack
from contacts_messaging.producer_settings import ProducerSettings
from contacts_messaging.record_batch import CODECS, PrebuiltBatch, RecordShape, split, varint
from contacts_testing.earlier_bulk_rows import compressed, framed

pytestmark = pytest.mark.unit

TEMPLATE = [("a", b"1"), ("id", None), ("b", "é".encode()), ("subject", None)]


def packing(compression: str = "zstd", batch_bytes: int = 16 * 1024) -> ProducerSettings:
    return ProducerSettings.model_validate(
        {"kafka_producer_compression": compression, "kafka_producer_batch_bytes": batch_bytes}
    )


def records(count: int, start: int = 0) -> list[tuple[bytes, list[bytes]]]:
    values = [b"", b'{"x": 1}', bytes(range(256)), "é".encode() * 50]
    return [(values[i % 4] + b"%d" % i, [b"id-%d" % i, b"s" * (i % 7)]) for i in range(start, start + count)]  # fmt: skip


def pack(key: bytes, template, sent, settings: ProducerSettings) -> Packed:
    """`bulk.pack` of records made a row at a time (`RecordShape.tail`)."""
    shape = RecordShape.of(key, template)
    return bulk_pack([shape.tail(value, slots) for value, slots in sent], settings)


def headers_of(slots: list[bytes]) -> list[tuple[str, bytes]]:
    return [("a", b"1"), ("id", slots[0]), ("b", "é".encode()), ("subject", slots[1])]


@pytest.mark.parametrize("compression", ["zstd", "lz4", "gzip", "snappy", "none"])
def test_records_come_back_in_order_with_their_slots_filled_in_the_templates_order(
    compression: str,
) -> None:
    """1,000 records over several batches of at most 16 KB (before compression)."""
    sent = records(1000)
    row = joined([pack(b"key", TEMPLATE, sent, packing(compression))])
    assert row.data.startswith(BATCHES) and row.expanded_bytes == len(row.data)
    batches = stored_batches(row.data)
    assert batches is not None and len(batches) > 5
    codec = CODECS[None if compression == "none" else compression][0]
    assert {DefaultRecordBatch(batch).compression_type for batch in batches} == {codec}
    back = list(expand(json.loads(template_json(TEMPLATE)), row.data))
    assert back == [(value, headers_of(slots)) for value, slots in sent]


def test_zstd_batches_are_compressed_at_the_low_level_and_marked_so() -> None:
    batches = stored_batches(joined([pack(b"key", TEMPLATE, records(500), packing())]).data)
    assert batches is not None
    for batch in batches:
        read = DefaultRecordBatch(batch)
        assert read.compression_type == 4 and read.validate_crc()
        assert read.producer_id == -1  # the relay's producer sets its own
        assert all(record.key == b"key" for record in read)


def test_parts_joined_come_back_in_order() -> None:
    """The importer's workers pack each slice of a chunk; the bulk row joins the parts."""
    first, second = records(300), records(5, start=300)
    parts = [pack(b"k", TEMPLATE, first, packing()), pack(b"k", TEMPLATE, second, packing())]
    row = joined(parts)
    assert row.expanded_bytes == len(BATCHES) + sum(len(p.data) for p in parts)
    back = list(expand(json.loads(template_json(TEMPLATE)), row.data))
    assert back == [(value, headers_of(slots)) for value, slots in first + second]


def test_a_record_over_the_batch_size_goes_in_a_batch_of_its_own() -> None:
    big = [(b"v" * 40_000, [b"id", b"s"]), (b"small", [b"id", b"s"])]
    batches = stored_batches(joined([pack(b"k", TEMPLATE, big, packing())]).data)
    assert batches is not None and len(batches) == 2


def test_a_damaged_or_truncated_batch_is_refused() -> None:
    data = bytearray(joined([pack(b"k", TEMPLATE, records(50), packing("none"))]).data)
    data[200] ^= 0xFF
    with pytest.raises(ValueError, match="CRC"):
        list(expand([], bytes(data)))
    whole = joined([pack(b"k", TEMPLATE, records(50), packing())]).data
    with pytest.raises(ValueError, match="length"):
        split(whole[len(BATCHES) : -3])


def test_a_prebuilt_batch_takes_the_producers_state_and_the_sends_time() -> None:
    """What aiokafka's producer does with a batch it drains: the producer id, epoch and base
    sequence set, then its bytes; the broker checks the CRC over them."""
    (batch,) = stored_batches(joined([pack(b"k", TEMPLATE, records(10), packing())]).data) or []
    before = int(time.time() * 1000)
    prebuilt = PrebuiltBatch(batch)
    prebuilt._set_producer_state(4242, 3, 17)
    built = prebuilt._build()
    read = DefaultRecordBatch(built)
    assert read.validate_crc()
    assert (read.producer_id, read.producer_epoch, read.base_sequence) == (4242, 3, 17)
    assert prebuilt.record_count() == 10 and prebuilt.append(key=b"k") is None
    assert before <= read.first_timestamp == read.max_timestamp <= int(time.time() * 1000)
    assert [r.timestamp for r in read] == [read.first_timestamp] * 10
    assert struct.unpack_from(">q", built, 0) == (0,)  # the broker assigns the offsets


def test_rows_of_the_two_releases_before_are_read_as_they_were() -> None:
    """Framed records, stored as they are or zstd-compressed, still in the outbox at an
    upgrade: the relay expands them as before."""
    template = json.loads(template_json(TEMPLATE))
    sent = records(300)
    plain = b"".join(framed(value, slots) for value, slots in sent)
    expected = [(value, headers_of(slots)) for value, slots in sent]
    assert stored_batches(plain) is None and list(expand(template, plain)) == expected
    zstd = compressed(plain[:5000]) + compressed(plain[5000:])  # parts joined
    assert zstd.startswith(ZSTD_MAGIC) and stored_batches(zstd) is None
    assert list(expand(template, zstd)) == expected
    with pytest.raises(Exception):  # noqa: B017, PT011 - cramjam's DecompressionError
        list(expand(template, zstd[:-3]))
    with pytest.raises(Exception):  # noqa: B017, PT011 - struct.error or ValueError
        list(expand(template, plain[:-2]))


@pytest.mark.parametrize(
    "value", [0, 1, 63, 64, 127, 128, 300, 8191, 8192, 16383, 16384, 2**31 - 1, -1, -64, -65]
)
def test_varints_are_kafkas(value: int) -> None:
    written = bytearray()
    encode_varint(value, written.append)
    assert varint(value) == bytes(written)
    assert decode_varint(bytearray(varint(value)), 0) == (value, len(written))


def test_a_record_needs_a_value_for_each_slot() -> None:
    with pytest.raises(ValueError, match="1 slot values for 2 slots"):
        RecordShape.of(b"k", TEMPLATE).tail(b"v", [b"only one"])
