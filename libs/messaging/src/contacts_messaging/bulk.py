"""Bulk outbox rows: many Kafka records of one topic and key in one outbox row.

A producer of many events at once (an import's chunk of `ImportRowValidated`) writes one row
instead of one per event, so Postgres inserts, claims and marks one row per chunk. The row's
`headers` column holds a header template, `[[name, value], ...]`, where a `null` value is a
slot filled per record; its `value` column holds the records, each framed as

    u32 length + record value, then for each slot in order: u32 length + header value

(little-endian). The relay expands the row back into records with exactly those headers, in
the template's order.

The value is stored compressed: the producer `pack`s its framed records into zstd frames (one
per part, joined), so the bytes that cross from the importer's workers to its service, to
Postgres (TOAST, WAL) and back to the relay are about an eighth of the records' (a
100,000-row import's 47 MB of records: 6 MB); the row's `expanded_bytes` keeps their size
before compression, which the relay's claim counts. A value that starts with zstd's frame
magic number is compressed; any other is framed records as they are (rows written by a
release before this one): uncompressed, its first four bytes would say a first record of
4,247,762,216 bytes. Measured: bench/IMPORTER.md ("the bulk rows compressed").
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import cramjam
from contacts_events.kafka_binding import Headers

Template = Sequence[tuple[str, bytes | None]]

_LENGTH = struct.Struct("<I")
frame_length = _LENGTH.pack
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"  # the first four bytes of every zstd frame
ZSTD_LEVEL = 1  # about 1 µs a record; level 3 took half as long again, for no smaller output


@dataclass(frozen=True, slots=True)
class Packed:
    """Framed records as a bulk row stores them: zstd frames of them, and their size before."""

    data: bytes
    expanded_bytes: int


def pack(framed: bytes) -> Packed:
    """Framed records (`frame`, joined) compressed for a bulk row; packed parts may be
    joined (zstd reads frames one after another)."""
    return Packed(bytes(cramjam.zstd.compress(framed, level=ZSTD_LEVEL)), len(framed))


def template_json(template: Template) -> str:
    """The `headers` column of a bulk row."""
    return json.dumps([[name, None if v is None else v.decode()] for name, v in template])


def frame(value: bytes, slots: Sequence[bytes]) -> bytes:
    """One record of a bulk row: its value and its slot header values."""
    parts = [frame_length(len(value)), value]
    for slot in slots:
        parts += (frame_length(len(slot)), slot)
    return b"".join(parts)


def framed_records(blob: bytes) -> bytes:
    """A bulk row's value as its framed records: decompressed when it was packed."""
    if blob[: len(ZSTD_MAGIC)] == ZSTD_MAGIC:
        return bytes(cramjam.zstd.decompress(blob))
    return blob


def expand(
    template: Sequence[Sequence[str | None]], blob: bytes
) -> Iterator[tuple[bytes, Headers]]:
    """The records of a bulk row's value (packed or not): (value, headers) each."""
    blob = framed_records(blob)
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
