"""Opaque page cursors (issue 15's one pagination shape: `cursor` in, `next_cursor` out).

A cursor is where the previous page ended, as URL-safe base64 of a JSON list: clients pass it
back unread. One the API did not make is 422 `bad_cursor` naming `cursor`."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from contacts_servicekit.errors import Invalid
from fastapi import Query

CursorQuery = Annotated[
    str | None,
    Query(max_length=200, description="`next_cursor` of the previous page; none: the first page"),
]


def row_cursor(row_number: int) -> str:
    return _encode([row_number])


def after_row(cursor: str | None) -> int:
    """The row number a page of rows starts after (0: the first page)."""
    if cursor is None:
        return 0
    match _decode(cursor):
        case [int(row_number)] if row_number >= 0:
            return row_number
    raise _bad()


def import_cursor(created_at: datetime, import_id: UUID) -> str:
    return _encode([created_at.isoformat(), str(import_id)])


def before_import(cursor: str | None) -> tuple[datetime, UUID] | None:
    """The (created_at, import_id) a page of imports, newest first, starts after."""
    if cursor is None:
        return None
    match _decode(cursor):
        case [str(created_at), str(import_id)]:
            try:
                return datetime.fromisoformat(created_at), UUID(import_id)
            except ValueError:
                pass
    raise _bad()


def _encode(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _decode(cursor: str) -> Any:
    try:
        return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        raise _bad() from None


def _bad() -> Invalid:
    return Invalid("bad_cursor", "This cursor is not one this API returned.", "cursor")
