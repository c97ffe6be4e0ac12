"""Bulk outbox rows as the two releases before wrote them (records framed, then also zstd
compressed), for the tests that the relay still reads them at an upgrade."""

from __future__ import annotations

import struct
from collections.abc import Sequence

import cramjam

_LENGTH = struct.Struct("<I")


def framed(value: bytes, slots: Sequence[bytes]) -> bytes:
    """One record: u32 length + value, then u32 length + header value per slot."""
    parts = [_LENGTH.pack(len(value)), value]
    for slot in slots:
        parts += (_LENGTH.pack(len(slot)), slot)
    return b"".join(parts)


def compressed(framed_records: bytes) -> bytes:
    """Framed records as the release before stored them: a zstd frame (level 1)."""
    return bytes(cramjam.zstd.compress(framed_records, level=1))
