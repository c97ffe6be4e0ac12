"""Kafka record batches (message format v2) built where the events are made, sent as they are.

A producer of many events at once (the importer's chunk workers) builds the complete record
batches of one key, compressed, before they reach the outbox (bulk.py); the relay then sends
each one with no work per record: it sets the fields only the sending producer knows (its
producer id, epoch and the partition's base sequence, as aiokafka does for its own batches),
the batch's timestamp (the send's, as for any event the relay sends: each record's delta is 0),
and the CRC over them. The broker checks that CRC and the sequence, as for any batch.

A record is `length, attributes, timestamp delta, offset delta`, then its *tail*: key, value
and headers, each length a zigzag varint. Records of one key and header template differ only
in their value and their slots' header values, so a producer can make the tails a column at a
time (`RecordShape` gives the bytes around those; the importer joins them with polars) and
`batches` adds the heads, which depend on the record's place in its batch.

The batch header (KIP-98), big-endian: base offset q, length i, partition leader epoch i,
magic b, CRC I (CRC-32C of everything after it), attributes h (the codec in the low three
bits), last offset delta i, first timestamp q, max timestamp q, producer id q, producer
epoch h, base sequence i, record count i; then the records.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import cramjam
from aiokafka.codec import gzip_encode, lz4_encode, snappy_encode
from aiokafka.record.default_records import DefaultRecordBatch
from aiokafka.record.util import calc_crc32c
from contacts_events.kafka_binding import Headers

_HEADER = struct.Struct(">qiibIhiqqqhii")
HEADER_BYTES = _HEADER.size  # 61
_AFTER_LENGTH = 12  # the batch length counts the bytes after itself
_CRC_AT, _ATTRIBUTES_AT, _TIMESTAMPS_AT, _PRODUCER_AT, _COUNT_AT = 17, 21, 27, 43, 57
_NO_LEADER_EPOCH = -1
ZSTD_LEVEL = 1  # aiokafka's batches use level 3: half as long again, for no smaller batch
CODECS: dict[str | None, tuple[int, Callable[[bytes], bytes] | None]] = {
    None: (0, None),
    "gzip": (1, gzip_encode),
    "snappy": (2, snappy_encode),
    "lz4": (3, lz4_encode),
    "zstd": (4, lambda data: bytes(cramjam.zstd.compress(data, level=ZSTD_LEVEL))),
}
"""Kafka's codec id and the compression, by the name `ProducerSettings.compression_type` gives."""


def varint(value: int) -> bytes:
    """Kafka's varint: zigzag, then seven bits a byte, lowest first."""
    number = (value << 1) ^ (value >> 63)
    out = bytearray()
    while number >= 0x80:
        out.append((number & 0x7F) | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


_VARINTS = [varint(n) for n in range(1 << 14)]  # the lengths and offset deltas of most records


def _varint(value: int) -> bytes:
    return _VARINTS[value] if value < len(_VARINTS) else varint(value)


@dataclass(frozen=True)
class RecordShape:
    """The bytes of a record's tail that every record of one key and header template shares:
    `tail = key_and_value_length_before + varint(len(value)) + value + pieces[0] +
    varint(len(slot 1)) + slot 1 + pieces[1] + ... + pieces[-1]`, a slot being a header of the
    template whose value (`None` there) each record has its own."""

    key: bytes
    pieces: tuple[bytes, ...]  # around the slots' values: one more than the slots

    @classmethod
    def of(cls, key: bytes, template: Sequence[tuple[str, bytes | None]]) -> RecordShape:
        pieces, piece = [], bytearray(_varint(len(template)))
        for name, value in template:
            encoded = name.encode()
            piece += _varint(len(encoded)) + encoded
            if value is None:
                pieces.append(bytes(piece))
                piece = bytearray()
            else:
                piece += _varint(len(value)) + value
        return cls(key, (*pieces, bytes(piece)))

    @property
    def before_value(self) -> bytes:
        """The key, with its length: the tail's start, before the value's length."""
        return _varint(len(self.key)) + self.key

    def tail(self, value: bytes, slots: Sequence[bytes]) -> bytes:
        """One record's tail (a row at a time; the importer makes them a column at a time)."""
        if len(slots) != len(self.pieces) - 1:
            raise ValueError(f"record: {len(slots)} slot values for {len(self.pieces) - 1} slots")
        parts = [self.before_value, _varint(len(value)), value, self.pieces[0]]
        for slot, piece in zip(slots, self.pieces[1:], strict=True):
            parts += (_varint(len(slot)), slot, piece)
        return b"".join(parts)


def batches(
    tails: Sequence[bytes], *, compression: str | None, batch_bytes: int
) -> Iterator[bytes]:
    """The records of `tails`, in order, as complete record batches of at most `batch_bytes` of
    records before compression (or one record, when a record alone is more), compressed with
    `compression`; no producer id yet (the relay's `PrebuiltBatch` sets it)."""
    parts: list[bytes] = []
    size = HEADER_BYTES
    for tail in tails:
        delta = _varint(len(parts) // 2)
        head = _varint(2 + len(delta) + len(tail)) + b"\x00\x00" + delta  # attributes, time
        if parts and size + len(head) + len(tail) > batch_bytes:
            yield _batch(parts, compression)
            parts, size = [], HEADER_BYTES
            delta = _varint(0)
            head = _varint(2 + len(delta) + len(tail)) + b"\x00\x00" + delta
        parts += (head, tail)
        size += len(head) + len(tail)
    if parts:
        yield _batch(parts, compression)


def _batch(parts: list[bytes], compression: str | None) -> bytes:
    codec, compress = CODECS[compression]
    records = b"".join(parts)
    if compress is not None:
        packed = compress(records)
        if len(packed) < len(records):  # else, as Kafka's producers do, left uncompressed
            records = packed
        else:
            codec = 0
    count = len(parts) // 2
    now = int(time.time() * 1000)
    batch = bytearray(HEADER_BYTES + len(records))
    _HEADER.pack_into(
        batch, 0, 0, len(batch) - _AFTER_LENGTH, _NO_LEADER_EPOCH, 2, 0, codec, count - 1,
        now, now, -1, -1, -1, count,
    )  # fmt: skip
    batch[HEADER_BYTES:] = records
    _sign(batch)
    return bytes(batch)


def _sign(batch: bytearray) -> None:
    struct.pack_into(">I", batch, _CRC_AT, calc_crc32c(memoryview(batch)[_ATTRIBUTES_AT:]))


def split(blob: bytes | memoryview) -> list[bytes]:
    """Record batches written one after another, apart (each checked whole)."""
    view, found, at = memoryview(blob), [], 0
    while at < len(view):
        if len(view) - at < HEADER_BYTES:
            raise ValueError("record batches: a truncated batch header")
        end = at + _AFTER_LENGTH + struct.unpack_from(">i", view, at + 8)[0]
        if end > len(view) or end - at < HEADER_BYTES:
            raise ValueError("record batches: a batch's length runs past the value")
        found.append(bytes(view[at:end]))
        at = end
    return found


def records(batch: bytes) -> Iterator[tuple[bytes, Headers]]:
    """The (value, headers) of each record of a batch, its CRC checked first (aiokafka's
    reader: the same code as any consumer's)."""
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
