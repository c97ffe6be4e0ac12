"""The grid of every sheet of an .xls workbook (BIFF5/BIFF8), from its records.

The workbook stream is read out of the OLE2 container with olefile; its records are then walked
without decoding any value: the workbook's `BOUNDSHEET` records say where each sheet starts,
a sheet's `DIMENSIONS` record says how large it claims to be, and every cell record starts with
its row and column (the reader places cells there, whatever the claim). A grid is at most
65,536 x 256 cells in this format, still more than the limit allows.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

import olefile  # type: ignore[import-untyped]

from importer_service.adapters.sources.errors import unreadable_workbook
from importer_service.adapters.sources.limits import SourceLimits
from importer_service.adapters.sources.sheet_size import SheetSize

HEADER = struct.Struct("<HH")  # record id, length
BOF, EOF, BOUNDSHEET, DIMENSIONS = 0x0809, 0x000A, 0x0085, 0x0200
MULRK, MULBLANK = 0x00BD, 0x00BE  # one row, columns first..last (the last is at the end)
CELLS = frozenset({0x00FD, 0x0203, 0x027E, 0x0205, 0x0006, 0x0204, 0x00D6, 0x0201})
BIFF8 = 0x0600


def xls_sizes(path: Path, limits: SourceLimits) -> Iterator[SheetSize]:
    """Each sheet's size, in the workbook's order; raises as soon as one is over the limits."""
    stream = _workbook_stream(path)
    biff8 = _biff_version(stream) >= BIFF8
    for name, start in _bound_sheets(stream, biff8):
        yield _sheet_size(stream, start, SheetSize(name), biff8, limits)


def _workbook_stream(path: Path) -> bytes:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            name = "Workbook" if ole.exists("Workbook") else "Book"
            return bytes(ole.openstream(name).read())
    except OSError as error:
        raise unreadable_workbook(str(error)) from None


def _records(stream: bytes, offset: int) -> Iterator[tuple[int, bytes]]:
    """(id, data) of the records from `offset` to the end of the stream."""
    while offset + HEADER.size <= len(stream):
        kind, length = HEADER.unpack_from(stream, offset)
        offset += HEADER.size
        yield kind, stream[offset : offset + length]
        offset += length


def _biff_version(stream: bytes) -> int:
    kind, data = next(_records(stream, 0), (0, b""))
    if kind != BOF or len(data) < 2:
        raise unreadable_workbook("the workbook stream does not start with a BOF record")
    return int.from_bytes(data[:2], "little")


def _bound_sheets(stream: bytes, biff8: bool) -> Iterator[tuple[str, int]]:
    """(name, offset) of each sheet, from the workbook globals."""
    for kind, data in _records(stream, 0):
        if kind == EOF:
            return
        if kind == BOUNDSHEET and len(data) >= 8:
            yield _sheet_name(data[6:], biff8), int.from_bytes(data[:4], "little")


def _sheet_name(data: bytes, biff8: bool) -> str:
    length = data[0]
    if not biff8:
        return data[1 : 1 + length].decode("latin-1")
    if data[1] & 0x01:  # UTF-16 characters, else one byte each
        return data[2 : 2 + 2 * length].decode("utf-16-le", "replace")
    return data[2 : 2 + length].decode("latin-1")


def _sheet_size(
    stream: bytes, start: int, size: SheetSize, biff8: bool, limits: SourceLimits
) -> SheetSize:
    depth = 0  # charts embedded in a sheet have BOF..EOF of their own
    for kind, data in _records(stream, start):
        if kind == BOF:
            depth += 1
        elif kind == EOF:
            depth -= 1
            if depth <= 0:
                break
        elif kind in CELLS and len(data) >= 4:
            row, column = struct.unpack_from("<HH", data)
            size.reach(row + 1, column + 1, limits)
        elif kind in (MULRK, MULBLANK) and len(data) >= 6:
            size.reach(int.from_bytes(data[:2], "little") + 1,
                       int.from_bytes(data[-2:], "little") + 1, limits)  # fmt: skip
        elif kind == DIMENSIONS:
            size.reach(*_declared(data, biff8), limits)
    return size


def _declared(data: bytes, biff8: bool) -> tuple[int, int]:
    """(rows, columns) a DIMENSIONS record claims (its ends are one past the last)."""
    if biff8 and len(data) >= 12:
        rows, columns = struct.unpack_from("<4xI2xH", data)
        return int(rows), int(columns)
    if len(data) >= 8:
        rows, columns = struct.unpack_from("<2xH2xH", data)
        return int(rows), int(columns)
    return 0, 0
