"""How many bytes a zip entry really inflates to, counted without keeping them."""

from __future__ import annotations

import struct
import zipfile
import zlib
from typing import BinaryIO

READ_BYTES = 1024 * 1024
INFLATE_BYTES = 4 * 1024 * 1024
LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature ... name length, extra length


class ArchiveError(Exception):
    """A zip entry that cannot be checked: damaged, encrypted or oddly compressed."""


def inflated_size(raw: BinaryIO, entry: zipfile.ZipInfo, limit: int) -> int:
    """The entry's real uncompressed size, or a number above `limit` as soon as it passes it."""
    if entry.flag_bits & 0x01:
        raise ArchiveError(f"{entry.filename!r} is encrypted")
    if entry.compress_type == zipfile.ZIP_STORED:
        return entry.compress_size
    if entry.compress_type != zipfile.ZIP_DEFLATED:
        raise ArchiveError(f"{entry.filename!r} uses an unusual compression method")
    _seek_data(raw, entry)
    return _inflate_counting(raw, entry.compress_size, limit)


def _seek_data(raw: BinaryIO, entry: zipfile.ZipInfo) -> None:
    raw.seek(entry.header_offset)
    header = raw.read(LOCAL_HEADER.size)
    if len(header) < LOCAL_HEADER.size:
        raise ArchiveError(f"{entry.filename!r} is cut short")
    signature, name_length, extra_length = LOCAL_HEADER.unpack(header)
    if signature != b"PK\x03\x04":
        raise ArchiveError(f"{entry.filename!r} has no local header")
    raw.seek(entry.header_offset + LOCAL_HEADER.size + name_length + extra_length)


def _inflate_counting(raw: BinaryIO, compressed: int, limit: int) -> int:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced, left = 0, compressed
    try:
        while left > 0 and not inflater.eof:
            pending = raw.read(min(left, READ_BYTES))
            if not pending:
                break
            left -= len(pending)
            while pending and not inflater.eof:
                produced += len(inflater.decompress(pending, INFLATE_BYTES))
                if produced > limit:
                    return produced
                pending = inflater.unconsumed_tail
        produced += len(inflater.flush())  # all input is in: at most a few bytes are pending
    except zlib.error as error:
        raise ArchiveError(f"a part does not inflate: {error}") from None
    return produced
