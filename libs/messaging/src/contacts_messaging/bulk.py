"""Bulk outbox rows: many Kafka records of one topic and key in one outbox row.

A producer of many events at once (an import's chunk of `ImportRowValidated`) writes one row
instead of one per event, so Postgres inserts, claims and marks one row per chunk. The row's
`headers` column holds a header template, `[[name, value], ...]`, where a `null` value is a
slot filled per record (each record's own header, such as its event id).

The row's `value` is `BATCHES` then the records as complete Kafka record batches
(record_batch.py), built and compressed by the producer (the importer's chunk workers, in
parts that are joined): the relay sends each batch as it is, with no work per record, and the
bytes that cross from the workers to Postgres (TOAST, WAL) and back to the relay are the
compressed ones (a 100,000-row import's 47 MB of records: about 7 MB, each record's constant
headers included). The row's
`expanded_bytes`, which the relay's claim counts, is then the value's own size: the relay
holds the batches as they are.

Rows of the two releases before are still read (an upgrade finds them in the outbox): records
framed as `u32 length + value`, then for each slot `u32 length + header value` (little-endian),
stored as they are, or compressed as zstd frames (they start with `ZSTD_MAGIC`; their
`expanded_bytes` is their size once decompressed). Measured: bench/IMPORTER.md ("the bulk rows
compressed", "the bulk rows as record batches").
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import cramjam
from contacts_events.kafka_binding import Headers

from contacts_messaging import record_batch
from contacts_messaging.producer_settings import ProducerSettings

Template = Sequence[tuple[str, bytes | None]]

BATCHES = b"\xffKB2"  # a value of record batches; framed records would start with a 4 GB length
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"  # the first four bytes of every zstd frame
_LENGTH = struct.Struct("<I")


@dataclass(frozen=True, slots=True)
class Packed:
    """A part of a bulk row's value, and the bytes the relay holds to send it."""

    data: bytes
    expanded_bytes: int


def pack(tails: Sequence[bytes], packing: ProducerSettings) -> Packed:
    """Records, each as its tail (`record_batch.RecordShape`: the row's key and template), as
    a part of a bulk row: record batches as `packing` says (codec, batch size). Parts of one
    key may be joined (`joined`)."""
    data = b"".join(
        record_batch.batches(
            tails,
            compression=packing.compression_type,
            batch_bytes=packing.kafka_producer_batch_bytes,
        )
    )
    return Packed(data, len(data))


def joined(parts: Sequence[Packed]) -> Packed:
    """A bulk row's value from its parts, in order."""
    data = BATCHES + b"".join(part.data for part in parts)
    return Packed(data, len(data))


def template_json(template: Template) -> str:
    """The `headers` column of a bulk row."""
    return json.dumps([[name, None if v is None else v.decode()] for name, v in template])


def stored_batches(blob: bytes) -> list[bytes] | None:
    """The record batches of a bulk row's value, or None for a row of an earlier release."""
    if blob[: len(BATCHES)] != BATCHES:
        return None
    return record_batch.split(memoryview(blob)[len(BATCHES) :])


def expand(
    template: Sequence[Sequence[str | None]], blob: bytes
) -> Iterator[tuple[bytes, Headers]]:
    """The records of a bulk row's value, of any release: (value, headers) each."""
    batches = stored_batches(blob)
    if batches is not None:
        for batch in batches:
            yield from record_batch.records(batch)
        return
    yield from _framed(template, _decompressed(blob))


def _decompressed(blob: bytes) -> bytes:
    if blob[: len(ZSTD_MAGIC)] == ZSTD_MAGIC:
        return bytes(cramjam.zstd.decompress(blob))
    return blob


def _framed(
    template: Sequence[Sequence[str | None]], blob: bytes
) -> Iterator[tuple[bytes, Headers]]:
    """The records of a row of an earlier release (framed, decompressed)."""
    base: Headers = []
    slots: list[tuple[int, str]] = []
    for index, (name, text) in enumerate(template):
        assert name is not None
        if text is None:
            slots.append((index, name))
            base.append((name, b""))
        else:
            base.append((name, text.encode()))
    unpack = _LENGTH.unpack_from
    position, end = 0, len(blob)
    while position < end:
        (size,) = unpack(blob, position)
        position += 4
        value = blob[position : position + size]
        position += size
        headers = base.copy()
        for index, name in slots:
            (size,) = unpack(blob, position)
            position += 4
            headers[index] = (name, blob[position : position + size])
            position += size
        yield value, headers
    if position != end:
        raise ValueError("bulk outbox row: truncated record")
