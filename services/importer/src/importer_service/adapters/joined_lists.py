"""Long lists as one text parameter, split again by Postgres.

asyncpg encodes an array parameter element by element, with a type check per element: a
chunk's 10,000 numbers as `$1::text[]` cost 3 ms of the service's CPU a statement, joined into
one text 0.35 ms (and Postgres splits it faster than it reads the array). Only for values that
cannot hold the separator: E.164 numbers, row numbers, reason codes. Free text goes as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

SEPARATOR, NULL = ",", "-"


def joined(values: Sequence[str | int | None]) -> str:
    """`values` for `TEXTS` or `INTS` (None as "-", so back as NULL). ValueError for a value
    holding the separator, empty or equal to "-": such text is not for this."""
    if not values:
        return ""
    try:  # all text (a chunk's numbers): joined, and checked on the joined text, in C
        text = SEPARATOR.join(values)  # type: ignore[arg-type]
        marked = f"{SEPARATOR}{text}{SEPARATOR}"
        refused = SEPARATOR * 2 in marked or f"{SEPARATOR}{NULL}{SEPARATOR}" in marked
    except TypeError:  # numbers or None among them
        text = SEPARATOR.join(NULL if v is None else str(v) for v in values)
        refused = NULL in values or "" in values
    if refused or text.count(SEPARATOR) != len(values) - 1:
        raise ValueError("joined(): a value holds the separator, is empty or is the NULL mark")
    return text


def joined_ints(values: Sequence[int]) -> str:
    """Integers for `INTS` (none may be None): `joined`'s answer, converted in C."""
    return SEPARATOR.join(map(str, values))


def joined_parts(parts: Sequence[str]) -> str:
    """`joined(a + b + ...)` from `joined(a)`, `joined(b)`, ...: the parts of empty lists
    (empty text) left out."""
    return SEPARATOR.join(part for part in parts if part)


def texts_json(values: Sequence[str | None]) -> str:
    """Free text for `JSON_TEXTS`, in order (None as NULL)."""
    return json.dumps(list(values), ensure_ascii=False)


TEXTS = "string_to_array({}::text, ',', '-')"
"""SQL of a `joined` parameter as text[]: `TEXTS.format('$2')`."""

INTS = "string_to_array({}::text, ',', '-')::int[]"
"""SQL of a `joined` parameter of integers as int[]."""

JSON_TEXTS = (
    "ARRAY(SELECT t.value FROM jsonb_array_elements_text({}::jsonb) WITH ORDINALITY AS t"
    " ORDER BY t.ordinality)"
)
"""SQL of a `texts_json` parameter as text[], in its order."""
