"""A chunk's final statuses as the body of a binary `COPY` into `import_row_statuses`, made on
the chunk workers with the rest of the emit step's work per row (chunk_outcomes).

The service's own process then only hands the bytes to Postgres: before, the workers pickled
each row's status as a tuple, the service unpickled it (the round trip alone 0.8 µs a row) and
asyncpg encoded it again, on the event loop every step waits for; the encoding here costs the
worker 0.8 µs a row (bench/IMPORTER.md, "the relay in a process of its own, the statuses' COPY
made on the workers"). The format is Postgres' binary `COPY` (a header, then per tuple a field count and
each field as a length and its bytes, -1 for NULL, then a trailer); a chunk's statuses repeat
a handful of (status, reason code, reason) triples, each encoded once.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from uuid import UUID

COLUMNS = (
    "import_id", "row_number", "phone_e164", "status", "reason_code", "reason", "matched_user_id",
)  # fmt: skip
"""The columns each tuple holds, in order (text, except the ids and the row number)."""

_INT32 = struct.Struct(">i")
_NULL = _INT32.pack(-1)
_UUID_LENGTH = _INT32.pack(16)
_HEADER = b"PGCOPY\n\xff\r\n\x00" + _INT32.pack(0) + _INT32.pack(0)  # no flags, no extension
_TRAILER = struct.pack(">h", -1)


def status_tuples(
    import_id: UUID,
    row_numbers: Sequence[int],
    phones: Sequence[str | None],
    statuses: Sequence[str],
    reason_codes: Sequence[str],
    reasons: Sequence[str],
    matched_users: Sequence[UUID | None],
) -> bytes:
    """The rows' statuses as binary `COPY` tuples of `COLUMNS` (no header: `copy_body` joins
    the parts of a chunk)."""
    lead = struct.pack(">h", len(COLUMNS)) + _UUID_LENGTH + import_id.bytes + _INT32.pack(4)
    triples: dict[tuple[str, str, str], bytes] = {}
    tuples = []
    for number, phone, status, code, reason, user in zip(
        row_numbers, phones, statuses, reason_codes, reasons, matched_users, strict=True
    ):
        triple = triples.get((status, code, reason))
        if triple is None:
            triple = triples[status, code, reason] = _text(status) + _text(code) + _text(reason)
        tuples.append(
            b"".join((
                lead, _INT32.pack(number), _NULL if phone is None else _text(phone), triple,
                _NULL if user is None else _UUID_LENGTH + user.bytes,
            ))
        )  # fmt: skip
    return b"".join(tuples)


def copy_body(parts: Sequence[bytes]) -> bytes:
    """A whole binary `COPY` of the tuples of `parts`, in order."""
    return b"".join((_HEADER, *parts, _TRAILER))


def _text(value: str) -> bytes:
    encoded = value.encode()
    return _INT32.pack(len(encoded)) + encoded
