"""Kafka record batches (message format v2) built where the events are made, sent as they are.

A producer of many events at once (the importer's chunk workers) builds the complete record
batches of one key, compressed, before they reach the outbox (bulk.py); the relay then sends
each one with no work per record: it sets the fields only the sending producer knows (its
producer id, epoch and the partition's base sequence, as aiokafka does for its own batches),
the batch's timestamp (the send's, as for any event the relay sends: each record's delta is 0),
and the CRC over them. The broker checks that CRC and the sequence, as for any batch.

The batch header (KIP-98), big-endian: base offset q, length i, partition leader epoch i,
magic b, CRC I (CRC-32C of everything after it), attributes h (the codec in the low three
bits), last offset delta i, first timestamp q, max timestamp q, producer id q, producer
epoch h, base sequence i, record count i; then the records.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Iterable, Iterator

import cramjam
from aiokafka.record.default_records import DefaultRecordBatch, DefaultRecordBatchBuilder
from aiokafka.record.util import calc_crc32c
from contacts_events.kafka_binding import Headers

HEADER_BYTES = 61
_LENGTH = struct.Struct(">qi")  # base offset, length of the rest
_CRC_AT, _ATTRIBUTES_AT, _TIMESTAMPS_AT, _PRODUCER_AT, _COUNT_AT = 17, 21, 27, 43, 57
_AFTER_LENGTH = 12
_CODEC_MASK = 0x07
CODECS = {None: 0, "gzip": 1, "snappy": 2, "lz4": 3, "zstd": 4}
"""Kafka's codec ids, by the name `ProducerSettings.compression_type` gives."""
ZSTD_LEVEL = 1  # aiokafka's batches use level 3: half as long again, for no smaller batch


def build(
    key: bytes,
    records: Iterable[tuple[bytes, Headers]],
    *,
    compression: str | None,
    batch_bytes: int,
) -> Iterator[bytes]:
    """The records (value, headers), all of `key`, as complete record batches of at most
    `batch_bytes` of records before compression (or one record, when a record alone is more),
    compressed with `compression`; no producer id yet (the relay's `PrebuiltBatch` sets it)."""
    now = int(time.time() * 1000)
    builder = _builder(compression, batch_bytes)
    offset = 0
    for value, headers in records:
        if builder.append(offset, now, key, value, headers) is None:  # full: the next batch
            yield _finished(builder, compression)
            builder, offset = _builder(compression, batch_bytes), 0
            builder.append(offset, now, key, value, headers)
        offset += 1
    if offset:
        yield _finished(builder, compression)


def _builder(compression: str | None, batch_bytes: int) -> DefaultRecordBatchBuilder:
    # zstd is compressed here at a lower level than aiokafka's; any other codec by aiokafka
    codec = 0 if compression == "zstd" else CODECS[compression]
    return DefaultRecordBatchBuilder(2, codec, 0, -1, -1, -1, batch_bytes)


def _finished(builder: DefaultRecordBatchBuilder, compression: str | None) -> bytes:
    built = bytes(builder.build())
    if compression != "zstd":
        return built
    records = cramjam.zstd.compress(built[HEADER_BYTES:], level=ZSTD_LEVEL)
    if len(records) >= len(built) - HEADER_BYTES:
        return built  # as Kafka's own producers do: a batch compression makes no smaller
    batch = bytearray(built[:HEADER_BYTES])
    batch += records
    struct.pack_into(">i", batch, 8, len(batch) - _AFTER_LENGTH)
    attributes = struct.unpack_from(">h", batch, _ATTRIBUTES_AT)[0] & ~_CODEC_MASK
    struct.pack_into(">h", batch, _ATTRIBUTES_AT, attributes | CODECS["zstd"])
    _sign(batch)
    return bytes(batch)


def _sign(batch: bytearray) -> None:
    struct.pack_into(">I", batch, _CRC_AT, calc_crc32c(memoryview(batch)[_ATTRIBUTES_AT:]))


def split(blob: bytes | memoryview) -> list[bytes]:
    """Record batches written one after another, apart (each checked whole)."""
    view, batches, at = memoryview(blob), [], 0
    while at < len(view):
        if len(view) - at < HEADER_BYTES:
            raise ValueError("record batches: a truncated batch header")
        end = at + _AFTER_LENGTH + _LENGTH.unpack_from(view, at)[1]
        if end > len(view) or end - at < HEADER_BYTES:
            raise ValueError("record batches: a batch's length runs past the value")
        batches.append(bytes(view[at:end]))
        at = end
    return batches


def records(batch: bytes) -> Iterator[tuple[bytes, Headers]]:
    """The (value, headers) of each record of a batch, its CRC checked first."""
    read = DefaultRecordBatch(batch)
    if not read.validate_crc():
        raise ValueError("record batch: its CRC does not match its content")
    for record in read:
        yield record.value or b"", [(name, value or b"") for name, value in record.headers]


class PrebuiltBatch:
    """A batch built before the relay, in the shape of aiokafka's `BatchBuilder` (what
    `AIOKafkaProducer.send_batch` takes): the producer sets its producer id, epoch and base
    sequence as it drains it, then takes its bytes. Its timestamp is this object's making."""

    def __init__(self, batch: bytes) -> None:
        self._batch = bytearray(batch)
        self._count: int = struct.unpack_from(">i", batch, _COUNT_AT)[0]
        now = int(time.time() * 1000)
        struct.pack_into(">qq", self._batch, _TIMESTAMPS_AT, now, now)
        self._built: bytes | None = None

    def append(self, **_: object) -> None:
        """Nothing more goes in (None: "full", as aiokafka's builder answers)."""

    def close(self) -> None:
        """Complete from the start."""

    def closed(self) -> bool:
        return True

    def size(self) -> int:
        return len(self._batch)

    def record_count(self) -> int:
        return self._count

    def _set_producer_state(
        self, producer_id: int, producer_epoch: int, base_sequence: int
    ) -> None:
        struct.pack_into(
            ">qhi", self._batch, _PRODUCER_AT, producer_id, producer_epoch, base_sequence
        )
        self._built = None

    def _build(self) -> bytes:
        if self._built is None:
            _sign(self._batch)
            self._built = bytes(self._batch)
        return self._built
