"""A chunk's names and emails, column-wise (polars): what `row_name` and `row_email` give each
row, without a Python call per row for the rows that need no cleaning.

A name needs none when every character of it is one Python prints and keeps (`isprintable`,
not white space, not one of the letters `clean_name` drops as rendering as nothing), with
single spaces between words: `clean_name` then gives it back unchanged. The character class is
made from the running Python's own Unicode tables (`_kept_characters`), so the test and the
rule cannot disagree; any other name (a tab, a bidi control, two spaces, a blank display name)
goes through `row_name` itself. An email needs no Python when it is plain printable ASCII
without spaces (where Python's and polars' regular expressions read alike); others go through
`row_email`. Measured: bench/IMPORTER.md ("the emit step column-wise").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import polars as pl
from contacts_events.names import RENDERED_AS_NOTHING

from importer_service.domain.model import row_name

NAME_PARTS = ("display_name", "first_name", "last_name")
EMAIL_MAX = 254
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PLAIN_ASCII = r"^[\x21-\x7e]*$"
_PLAIN_EMAIL = r"^[^@]+@[^@]+\.[^@]+$"  # the model's shape, for text without white space


def row_email(value: str | None) -> str | None:
    """The row's email when it has the shape of one (events carry only well-formed ones)."""
    text = (value or "").strip()
    return text if len(text) <= EMAIL_MAX and _EMAIL.match(text) else None


def row_names(rows: pl.DataFrame) -> pl.Series:
    """`row_name(display_name, first_name, last_name)` of every row, as a String column."""
    display, first, last = (_given(pl.col(part)) for part in NAME_PARTS)
    clean = _clean_name_pattern()
    plain = (
        pl.when(display.is_not_null())
        .then(display.str.contains(clean))
        .otherwise(
            (first.is_null() | first.str.contains(clean))
            & (last.is_null() | last.str.contains(clean))
        )
    )
    joined = pl.concat_str([first, last], separator=" ", ignore_nulls=True)
    name = pl.coalesce(display, joined).str.slice(0, 200)
    found = rows.select(
        pl.when(name != "").then(name).alias("name"), plain.alias("plain"), *NAME_PARTS
    )
    return _with_rule(found, "name", lambda row: row_name(*row), NAME_PARTS)


def row_emails(rows: pl.DataFrame) -> pl.Series:
    """`row_email(email)` of every row, as a String column."""
    email = pl.col("email")
    plain = email.is_null() | email.str.contains(_PLAIN_ASCII)
    shaped = (email.str.len_bytes() <= EMAIL_MAX) & email.str.contains(_PLAIN_EMAIL)
    found = rows.select(
        pl.when(email.is_not_null() & shaped).then(email).alias("value"),
        plain.alias("plain"),
        email,
    )
    return _with_rule(found, "value", lambda row: row_email(row[0]), ("email",))


def _with_rule(
    found: pl.DataFrame, column: str, rule: Callable[[tuple[Any, ...]], str | None],
    inputs: tuple[str, ...],
) -> pl.Series:  # fmt: skip
    """`found[column]`, with the rows that are not `plain` given by the per-row `rule`."""
    values = found.get_column(column)
    others = found.with_row_index("at").filter(~pl.col("plain"))
    if others.is_empty():
        return values
    ruled = [rule(row) for row in others.select(inputs).iter_rows()]
    return values.scatter(others.get_column("at"), pl.Series(ruled, dtype=pl.String))


def _given(part: pl.Expr) -> pl.Expr:
    """A name part as `row_name` reads it: None when empty."""
    return pl.when(part != "").then(part)


@cache
def _clean_name_pattern() -> str:
    """Words of kept characters separated by single spaces (a regular expression)."""
    kept = "".join(
        f"\\x{{{low:x}}}" if low == high else f"\\x{{{low:x}}}-\\x{{{high:x}}}"
        for low, high in _kept_characters()
    )
    return f"^[{kept}]+(?: [{kept}]+)*$"


def _kept_characters() -> list[tuple[int, int]]:
    """The code point ranges `clean_name` keeps as they are, by this Python's Unicode tables:
    printable, not white space, not rendered as nothing (0.2 s, once per process)."""
    everything = "".join(map(chr, range(0x110000)))
    flags = bytearray(map(str.isprintable, everything))
    for char in (" ", *RENDERED_AS_NOTHING):
        flags[ord(char)] = 0
    return [(m.start(), m.end() - 1) for m in re.finditer(b"\x01+", flags)]


def warm() -> None:
    """Make the name pattern and have polars compile it now, not on the first chunk: 0.2-0.3
    s, which a paste waiting behind it would feel (the service and each chunk worker call it
    as they start)."""
    row_names(pl.DataFrame({part: ["Ada"] for part in NAME_PARTS}))
