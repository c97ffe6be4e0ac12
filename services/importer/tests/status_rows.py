"""Binary `COPY` tuples of statuses (adapters/status_copy.py) read back, as a test's check; rows
as the CSV the workers read (adapters/row_frames.py)."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from uuid import UUID

StatusRow = tuple[UUID, int, str | None, str, str, str, UUID | None]
"""(import_id, row_number, phone_e164, status, reason_code, reason, matched_user_id)."""


def decoded(tuples: bytes) -> list[StatusRow]:
    rows, at = [], 0
    while at < len(tuples):
        (count,) = struct.unpack_from(">h", tuples, at)
        at += 2
        fields: list[bytes | None] = []
        for _ in range(count):
            (size,) = struct.unpack_from(">i", tuples, at)
            at += 4
            fields.append(None if size < 0 else tuples[at : at + size])
            at += max(size, 0)
        import_id, number, phone, status, code, reason, user = fields
        assert import_id is not None and number is not None and len(number) == 4
        assert status is not None and code is not None and reason is not None
        rows.append((
            UUID(bytes=import_id), int.from_bytes(number, "big", signed=True),
            None if phone is None else phone.decode(), status.decode(), code.decode(),
            reason.decode(), None if user is None else UUID(bytes=user),
        ))  # fmt: skip
    return rows


def rows_csv(rows: Sequence[Sequence[int | str | None]]) -> bytes:
    """Stored rows (the columns of a `row_frames` schema, in order) as Postgres' CSV `COPY`
    writes them (row_frames.rows_csv): NULL an empty field, every text quoted (Postgres quotes
    only where needed; both read alike)."""

    def field(value: int | str | None) -> str:
        if value is None:
            return ""
        return str(value) if isinstance(value, int) else '"' + value.replace('"', '""') + '"'

    return "".join(",".join(map(field, row)) + "\n" for row in rows).encode()
