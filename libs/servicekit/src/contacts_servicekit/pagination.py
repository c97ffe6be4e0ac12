"""One pagination shape for every list: query `cursor` (opaque, from the previous page) and
`limit`; answer `{"items": [...], "next_cursor": "..." | null}`.

A cursor holds the sort key of the last item given (keyset pagination: a page is one index
range scan, however deep, and nothing is skipped or repeated when rows are added meanwhile).
It is opaque to clients: URL-safe base64 of a JSON list. One the API did not make is 422
`bad_cursor` on `cursor`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Query

from contacts_servicekit.errors import Invalid

PageCursor = Annotated[
    str | None, Query(max_length=1000, description="`next_cursor` of the previous page")
]
PageLimit = Annotated[int, Query(ge=1, le=200, description="items per page")]


def encode_cursor(*key: object) -> str:
    """The cursor of the item whose sort key is `key` (values written as text)."""
    return base64.urlsafe_b64encode(json.dumps([str(part) for part in key]).encode()).decode()


def decode_cursor(cursor: str, *readers: Callable[[str], Any]) -> tuple[Any, ...]:
    """The sort key in `cursor`, each part read by its reader (`UUID`, `datetime.fromisoformat`);
    422 `bad_cursor` for anything this API did not make."""
    try:
        parts = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(parts, list) or len(parts) != len(readers):
            raise ValueError(cursor)
        return tuple(read(str(part)) for read, part in zip(readers, parts, strict=True))
    except (ValueError, binascii.Error, UnicodeError):
        raise Invalid("bad_cursor", "This cursor is not one this API returned.", "cursor") from None


def next_cursor(
    page: list[Any], limit: int, key: Callable[[Any], tuple[object, ...]]
) -> str | None:
    """The cursor after `page`, fetched with `limit + 1` rows: None when it was the last."""
    return encode_cursor(*key(page[limit - 1])) if len(page) > limit else None
